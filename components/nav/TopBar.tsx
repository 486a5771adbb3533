import Link from "next/link";
import { NavLinks } from "./NavLinks";
import { SignOutButton } from "./SignOutButton";

export type SignedInUser = { username: string; role: "admin" | "viewer" };

export function TopBar({ user }: { user: SignedInUser }) {
  return (
    <header className="bg-slate-900 text-white">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2.5 sm:px-6">
        <Link href="/devices" className="flex items-center gap-2 rounded-md font-semibold focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-white">
          {/* eslint-disable-next-line @next/next/no-img-element -- a tiny local svg */}
          <img src="/favicon.svg" alt="" width={24} height={24} />
          SIP Admin Portal
        </Link>
        <nav aria-label="Main" className="order-last w-full lg:order-none lg:w-auto lg:flex-1">
          <NavLinks role={user.role} />
        </nav>
        <div className="ml-auto flex items-center gap-3 text-sm" data-testid="signed-in-user">
          <span>
            <span className="sr-only">Signed in as </span>
            <span className="font-medium">{user.username}</span>{" "}
            <span className="rounded bg-slate-700 px-1.5 py-0.5 text-xs uppercase tracking-wide text-slate-200">{user.role}</span>
          </span>
          <Link href="/account" className="rounded-md px-2 py-1 font-medium text-slate-200 hover:bg-slate-800 hover:text-white focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-white">
            Account
          </Link>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
