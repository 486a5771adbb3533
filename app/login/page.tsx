import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth";
import { LoginForm } from "./login-form";
import { safeNext } from "./safe-next";

export const metadata: Metadata = { title: "Sign in · SIP Admin Portal", icons: { icon: "/favicon.svg" } };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { next } = await searchParams;
  // Already signed in (e.g. a bookmarked /login): go straight on.
  if (await getCurrentUser()) redirect(safeNext(next));
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center gap-2">
          {/* eslint-disable-next-line @next/next/no-img-element -- a tiny local svg, no optimisation needed */}
          <img src="/favicon.svg" alt="" width={32} height={32} />
          <div>
            <h1 className="text-xl font-semibold">SIP Admin Portal</h1>
            <p className="text-sm text-slate-600">Sign in to manage your SIP phones</p>
          </div>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <LoginForm next={safeNext(next)} />
        </div>
      </div>
    </main>
  );
}
