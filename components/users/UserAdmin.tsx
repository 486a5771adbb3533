"use client";
import { createColumnHelper } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { useInvalidate } from "@/components/api/query";
import { urls, useUsers } from "@/components/api/resources";
import { Alert } from "@/components/ui/Alert";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { actionsColumn, DataTable } from "@/components/ui/DataTable";
import { AddUserDialog, DeleteUserDialog, PasswordDialog, ResetTotpDialog, RoleDialog } from "./UserDialogs";
import type { ListedUser } from "./types";

const LAST_ADMIN_NOTE = "The last admin cannot be made a viewer or deleted: at least one admin must remain. Make another user an admin first.";

const col = createColumnHelper<ListedUser>();

/** /users (admins): the user list with add, change role, set password and delete. */
export function UserAdmin({ currentUserId }: { currentUserId: string }) {
  const list = useUsers();
  const users = list.data?.items ?? null;
  const error = list.error ? `Could not load the users: ${list.error.message}` : null;
  const invalidate = useInvalidate();
  const [notice, setNotice] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [roleOf, setRoleOf] = useState<ListedUser | null>(null);
  const [passwordOf, setPasswordOf] = useState<ListedUser | null>(null);
  const [deleting, setDeleting] = useState<ListedUser | null>(null);
  const [resetting, setResetting] = useState<ListedUser | null>(null);

  const done = (message: string) => {
    setAdding(false);
    setRoleOf(null);
    setPasswordOf(null);
    setDeleting(null);
    setResetting(null);
    setNotice(message);
    void invalidate(urls.users);
  };

  const admins = users?.filter((u) => u.role === "admin").length ?? 0;
  const columns = useMemo(
    () => [
      col.accessor("username", {
        header: "Username",
        meta: { className: "font-medium" },
        cell: (c) => (
          <>
            {c.getValue()}
            {c.row.original.id === currentUserId && <span className="ml-2 text-xs font-normal text-slate-500">(you)</span>}
          </>
        ),
      }),
      col.accessor("role", { header: "Role", cell: (c) => <Badge tone={c.getValue() === "admin" ? "blue" : "neutral"}>{c.getValue()}</Badge> }),
      col.accessor("totp", {
        header: "Two-step sign-in",
        cell: (c) => <Badge tone={c.getValue() ? "green" : "neutral"}>{c.getValue() ? "On" : "Off"}</Badge>,
      }),
      col.accessor("createdAt", { header: "Created", meta: { className: "whitespace-nowrap" }, cell: (c) => new Date(c.getValue()).toLocaleString() }),
      actionsColumn<ListedUser>((u) => {
        const lastAdmin = u.role === "admin" && admins <= 1;
        const self = u.id === currentUserId;
        const noteId = `user-note-${u.id}`;
        const note = lastAdmin ? LAST_ADMIN_NOTE : self ? "You cannot delete your own account." : null;
        return (
          <div>
            <div className="flex flex-wrap justify-end gap-1.5 max-sm:justify-start">
              <Button size="sm" onClick={() => setRoleOf(u)} disabled={lastAdmin} aria-label={`Change role of ${u.username}`} aria-describedby={lastAdmin ? noteId : undefined}>
                Change role
              </Button>
              <Button size="sm" onClick={() => setPasswordOf(u)} aria-label={`Set password for ${u.username}`}>
                Set password
              </Button>
              {u.totp && !self && (
                <Button size="sm" onClick={() => setResetting(u)} aria-label={`Reset two-step sign-in for ${u.username}`}>
                  Reset two-step
                </Button>
              )}
              <Button size="sm" variant="danger" onClick={() => setDeleting(u)} disabled={lastAdmin || self} aria-label={`Delete ${u.username}`} aria-describedby={note ? noteId : undefined}>
                Delete
              </Button>
            </div>
            {note && (
              <p id={noteId} className="ml-auto mt-1 max-w-xs text-right text-xs text-slate-600 max-sm:text-left" data-testid="user-note">
                {note}
              </p>
            )}
          </div>
        );
      }, undefined),
    ],
    [admins, currentUserId],
  );

  return (
    <section aria-labelledby="users-title" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 id="users-title" className="text-xl font-semibold">
          Users
        </h1>
        <Button variant="primary" onClick={() => setAdding(true)}>
          Add user
        </Button>
      </div>
      {notice && (
        <Alert tone="success" testId="users-notice">
          {notice}
        </Alert>
      )}
      {error && <Alert testId="users-error">{error}</Alert>}
      {!users && !error && (
        <p role="status" className="text-sm text-slate-600">
          Loading users…
        </p>
      )}
      {users && <DataTable data={users} columns={columns} label="Users" testId="users-table" stacked getRowId={(u) => u.id} rowProps={(u) => ({ "data-testid": "user-row", "data-username": u.username })} />}
      <AddUserDialog open={adding} onClose={() => setAdding(false)} onSaved={(name) => done(`User ${name} added.`)} />
      <RoleDialog user={roleOf} onClose={() => setRoleOf(null)} onSaved={(name, role) => done(`${name} is now ${role === "admin" ? "an admin" : "a viewer"}.`)} />
      <PasswordDialog user={passwordOf} onClose={() => setPasswordOf(null)} onSaved={(name) => done(`New password set for ${name}; their sessions were ended.`)} />
      <ResetTotpDialog user={resetting} onClose={() => setResetting(null)} onReset={(name) => done(`Two-step sign-in reset for ${name}: their password alone signs them in until they set it up again.`)} />
      <DeleteUserDialog user={deleting} onClose={() => setDeleting(null)} onDeleted={(name) => done(`User ${name} deleted.`)} />
    </section>
  );
}
