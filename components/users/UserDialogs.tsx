"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useId, useState } from "react";
import { useForm, type FieldValues, type Path, type UseFormSetError } from "react-hook-form";
import { z } from "zod";
import { Alert } from "@/components/ui/Alert";
import { ApiError, apiFetch } from "@/components/ui/api-client";
import { Button } from "@/components/ui/Button";
import { ConfirmDeleteDialog } from "@/components/ui/ConfirmDeleteDialog";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { Dialog } from "@/components/ui/Dialog";
import { Field } from "@/components/ui/Field";
import { userInputSchema } from "@/lib/auth/user-input";
import type { ListedUser, Role } from "./types";

const usersUrl = (id?: string) => (id ? `/api/v1/users/${encodeURIComponent(id)}` : "/api/v1/users");

/**
 * Maps a failed save onto the form: per-field messages (422, or a 409 with fields) go to their fields, a 409
 * without fields (the last admin) to `conflictField`; anything else is returned for the form-level alert.
 */
function applyServerError<T extends FieldValues>(e: unknown, fields: Path<T>[], setError: UseFormSetError<T>, conflictField?: Path<T>): string | null {
  if (!(e instanceof ApiError)) return "Saving failed unexpectedly. Try again.";
  if (e.body.code === "conflict" && !e.body.fields && conflictField) {
    setError(conflictField, { type: "server", message: e.body.message });
    return null;
  }
  const unmapped: string[] = [];
  for (const [key, message] of Object.entries(e.body.fields ?? {})) {
    if ((fields as string[]).includes(key)) setError(key as Path<T>, { type: "server", message });
    else unmapped.push(`${key}: ${message}`);
  }
  return !e.body.fields || unmapped.length ? [e.body.message, ...unmapped].join(" — ") : null;
}

function RoleSelect({ error, ...rest }: React.SelectHTMLAttributes<HTMLSelectElement> & { error?: string }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        Role
      </label>
      <select
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        className={`rounded-md border bg-white px-3 py-2 text-sm shadow-sm ${error ? "border-red-500" : "border-slate-300"}`}
        {...rest}
      >
        <option value="viewer">Viewer (may look)</option>
        <option value="admin">Admin (may change)</option>
      </select>
      {error && (
        <p id={`${id}-error`} className="text-xs font-medium text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

function Actions({ onCancel, submit, busy }: { onCancel: () => void; submit: string; busy: boolean }) {
  return (
    <div className="mt-2 flex justify-end gap-2">
      <Button onClick={onCancel}>Cancel</Button>
      <Button type="submit" variant="primary" disabled={busy}>
        {submit}
      </Button>
    </div>
  );
}

type AddValues = z.input<typeof userInputSchema>;

export function AddUserDialog({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: (username: string) => void }) {
  return (
    <Dialog open={open} onClose={onClose} title="Add user" description="Admins may change everything; viewers may only look.">
      {open && <AddUserForm onCancel={onClose} onSaved={onSaved} />}
    </Dialog>
  );
}

function AddUserForm({ onCancel, onSaved }: { onCancel: () => void; onSaved: (username: string) => void }) {
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, setError, formState } = useForm<AddValues>({
    resolver: zodResolver(userInputSchema),
    defaultValues: { username: "", password: "", role: "viewer" },
  });
  const { errors, isSubmitting } = formState;
  async function onSubmit(values: AddValues) {
    setFormError(null);
    try {
      await apiFetch(usersUrl(), { method: "POST", json: values });
      onSaved(values.username.trim());
    } catch (e) {
      setFormError(applyServerError(e, ["username", "password", "role"], setError, "username"));
    }
  }
  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate className="flex flex-col gap-3" aria-label="Add user">
      {formError && <Alert testId="user-form-error">{formError}</Alert>}
      <Field label="Username" autoComplete="off" error={errors.username?.message} {...register("username")} />
      <Field label="Password" type="password" autoComplete="new-password" hint="At least 8 characters" error={errors.password?.message} {...register("password")} />
      <RoleSelect error={errors.role?.message} {...register("role")} />
      <Actions onCancel={onCancel} submit="Add user" busy={isSubmitting} />
    </form>
  );
}

const roleSchema = z.object({ role: userInputSchema.shape.role });
type RoleValues = z.infer<typeof roleSchema>;

export function RoleDialog({ user, onClose, onSaved }: { user: ListedUser | null; onClose: () => void; onSaved: (username: string, role: Role) => void }) {
  return (
    <Dialog open={user !== null} onClose={onClose} title={`Change role of ${user?.username ?? ""}`}>
      {user && <RoleForm key={user.id} user={user} onCancel={onClose} onSaved={onSaved} />}
    </Dialog>
  );
}

function RoleForm({ user, onCancel, onSaved }: { user: ListedUser; onCancel: () => void; onSaved: (username: string, role: Role) => void }) {
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, setError, formState } = useForm<RoleValues>({ resolver: zodResolver(roleSchema), defaultValues: { role: user.role } });
  async function onSubmit(values: RoleValues) {
    setFormError(null);
    try {
      await apiFetch(usersUrl(user.id), { method: "PATCH", json: values });
      onSaved(user.username, values.role);
    } catch (e) {
      setFormError(applyServerError(e, ["role"], setError, "role"));
    }
  }
  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate className="flex flex-col gap-3" aria-label="Change role">
      {formError && <Alert testId="user-form-error">{formError}</Alert>}
      <RoleSelect error={formState.errors.role?.message} {...register("role")} />
      <Actions onCancel={onCancel} submit="Save role" busy={formState.isSubmitting} />
    </form>
  );
}

const passwordSchema = z.object({ password: userInputSchema.shape.password });
type PasswordValues = z.infer<typeof passwordSchema>;

export function PasswordDialog({ user, onClose, onSaved }: { user: ListedUser | null; onClose: () => void; onSaved: (username: string) => void }) {
  return (
    <Dialog open={user !== null} onClose={onClose} title={`Set a new password for ${user?.username ?? ""}`} description="The user's open sessions end; they sign in again with the new password.">
      {user && <PasswordForm key={user.id} user={user} onCancel={onClose} onSaved={onSaved} />}
    </Dialog>
  );
}

function PasswordForm({ user, onCancel, onSaved }: { user: ListedUser; onCancel: () => void; onSaved: (username: string) => void }) {
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, setError, formState } = useForm<PasswordValues>({ resolver: zodResolver(passwordSchema), defaultValues: { password: "" } });
  async function onSubmit(values: PasswordValues) {
    setFormError(null);
    try {
      await apiFetch(usersUrl(user.id), { method: "PATCH", json: values });
      onSaved(user.username);
    } catch (e) {
      setFormError(applyServerError(e, ["password"], setError));
    }
  }
  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate className="flex flex-col gap-3" aria-label="Set password">
      {formError && <Alert testId="user-form-error">{formError}</Alert>}
      <Field label="New password" type="password" autoComplete="new-password" hint="At least 8 characters" error={formState.errors.password?.message} {...register("password")} />
      <Actions onCancel={onCancel} submit="Set password" busy={formState.isSubmitting} />
    </form>
  );
}

export function DeleteUserDialog({ user, onClose, onDeleted }: { user: ListedUser | null; onClose: () => void; onDeleted: (username: string) => void }) {
  return (
    <ConfirmDeleteDialog
      open={user !== null}
      title="Delete user"
      confirmLabel="Delete"
      url={user ? usersUrl(user.id) : null}
      failure="Could not delete the user"
      errorTestId="delete-user-error"
      onClose={onClose}
      onDeleted={() => user && onDeleted(user.username)}
    >
      Delete <strong>{user?.username}</strong> ({user?.role})? They are signed out at once and can no longer sign in. The audit log keeps their
      past actions.
    </ConfirmDeleteDialog>
  );
}

/** An admin turns another user's two-step sign-in off (they lost their authenticator app); audited as totp.reset. */
export function ResetTotpDialog({ user, onClose, onReset }: { user: ListedUser | null; onClose: () => void; onReset: (username: string) => void }) {
  return (
    <ConfirmDialog
      open={user !== null}
      title="Reset two-step sign-in"
      confirmLabel="Reset two-step sign-in"
      failure="Could not reset two-step sign-in"
      errorTestId="reset-totp-error"
      onClose={onClose}
      onConfirm={async () => {
        if (!user) return;
        await apiFetch(`${usersUrl(user.id)}/totp/reset`, { method: "POST" });
        onReset(user.username);
      }}
    >
      Reset two-step sign-in for <strong>{user?.username}</strong>? Their authenticator app stops working for this portal, and their password alone signs
      them in until they set it up again on their Account page. Do this only when you are sure it is them asking (e.g. they lost their phone). The audit
      log records it.
    </ConfirmDialog>
  );
}

