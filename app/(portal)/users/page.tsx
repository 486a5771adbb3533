import type { Metadata } from "next";
import Link from "next/link";
import { UserAdmin } from "@/components/users/UserAdmin";
import { buttonClass } from "@/components/ui/Button";
import { requireUser } from "@/lib/auth";

export const metadata: Metadata = { title: "Users · SIP Admin Portal" };

/** /users: admins manage accounts (through /api/v1/users); viewers get an explanation instead. */
export default async function UsersPage() {
  const user = await requireUser();
  if (user.role !== "admin") {
    return (
      <section aria-labelledby="users-forbidden" className="mx-auto max-w-lg rounded-lg border border-slate-200 bg-white p-6 shadow-sm" data-testid="users-forbidden">
        <h1 id="users-forbidden" className="text-lg font-semibold">
          Only admins can manage users
        </h1>
        <p className="mt-2 text-sm text-slate-700">You are signed in as a viewer. Ask an admin to add, change or remove accounts.</p>
        <Link href="/devices" className={`${buttonClass("primary")} mt-4`}>
          Back to devices
        </Link>
      </section>
    );
  }
  return <UserAdmin currentUserId={user.id} />;
}
