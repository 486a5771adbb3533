"use client";
import { useCallback, useEffect, useState } from "react";
import { Alert } from "@/components/ui/Alert";
import { apiFetch } from "@/components/ui/api-client";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { AddUserDialog, DeleteUserDialog, PasswordDialog, RoleDialog } from "./UserDialogs";
import type { ListedUser } from "./types";

const LAST_ADMIN_NOTE = "The last admin cannot be made a viewer or deleted: at least one admin must remain. Make another user an admin first.";

/** /users (admins): the user list with add, change role, set password and delete. */
export function UserAdmin({ currentUserId }: { currentUserId: string }) {
  const [users, setUsers] = useState<ListedUser[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [roleOf, setRoleOf] = useState<ListedUser | null>(null);
  const [passwordOf, setPasswordOf] = useState<ListedUser | null>(null);
  const [deleting, setDeleting] = useState<ListedUser | null>(null);

  const load = useCallback(async () => {
    try {
      setUsers((await apiFetch<{ items: ListedUser[] }>("/api/v1/users")).items);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? `Could not load the users: ${e.message}` : "Could not load the users");
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const done = (message: string) => {
    setAdding(false);
    setRoleOf(null);
    setPasswordOf(null);
    setDeleting(null);
    setNotice(message);
    void load();
  };

  const admins = users?.filter((u) => u.role === "admin").length ?? 0;

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
      {users && (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="w-full text-left text-sm" data-testid="users-table">
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">Username</th>
                <th scope="col" className="px-3 py-2 font-medium">Role</th>
                <th scope="col" className="px-3 py-2 font-medium">Created</th>
                <th scope="col" className="px-3 py-2 font-medium"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => {
                const lastAdmin = u.role === "admin" && admins <= 1;
                const self = u.id === currentUserId;
                const noteId = `user-note-${u.id}`;
                const note = lastAdmin ? LAST_ADMIN_NOTE : self ? "You cannot delete your own account." : null;
                return (
                  <tr key={u.id} className="border-t border-slate-100 align-top" data-testid="user-row" data-username={u.username}>
                    <td className="px-3 py-2 font-medium">
                      {u.username}
                      {self && <span className="ml-2 text-xs font-normal text-slate-500">(you)</span>}
                    </td>
                    <td className="px-3 py-2">
                      <Badge tone={u.role === "admin" ? "blue" : "neutral"}>{u.role}</Badge>
                    </td>
                    <td className="px-3 py-2 whitespace-nowrap">{new Date(u.createdAt).toLocaleString()}</td>
                    <td className="px-3 py-2">
                      <div className="flex flex-wrap justify-end gap-1.5">
                        <Button size="sm" onClick={() => setRoleOf(u)} disabled={lastAdmin} aria-label={`Change role of ${u.username}`} aria-describedby={lastAdmin ? noteId : undefined}>
                          Change role
                        </Button>
                        <Button size="sm" onClick={() => setPasswordOf(u)} aria-label={`Set password for ${u.username}`}>
                          Set password
                        </Button>
                        <Button size="sm" variant="danger" onClick={() => setDeleting(u)} disabled={lastAdmin || self} aria-label={`Delete ${u.username}`} aria-describedby={note ? noteId : undefined}>
                          Delete
                        </Button>
                      </div>
                      {note && (
                        <p id={noteId} className="mt-1 max-w-xs text-right text-xs text-slate-600 ml-auto" data-testid="user-note">
                          {note}
                        </p>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <AddUserDialog open={adding} onClose={() => setAdding(false)} onSaved={(name) => done(`User ${name} added.`)} />
      <RoleDialog user={roleOf} onClose={() => setRoleOf(null)} onSaved={(name, role) => done(`${name} is now ${role === "admin" ? "an admin" : "a viewer"}.`)} />
      <PasswordDialog user={passwordOf} onClose={() => setPasswordOf(null)} onSaved={(name) => done(`New password set for ${name}; their sessions were ended.`)} />
      <DeleteUserDialog user={deleting} onClose={() => setDeleting(null)} onDeleted={(name) => done(`User ${name} deleted.`)} />
    </section>
  );
}
