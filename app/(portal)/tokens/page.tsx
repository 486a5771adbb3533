import type { Metadata } from "next";
import Link from "next/link";
import { TokenAdmin } from "@/components/tokens/TokenAdmin";
import { buttonClass } from "@/components/ui/Button";
import { requireUser } from "@/lib/auth";

export const metadata: Metadata = { title: "API tokens · SIP Admin Portal" };

/** /tokens: admins manage API tokens (through /api/v1/tokens); viewers get an explanation instead. */
export default async function TokensPage() {
  const user = await requireUser();
  if (user.role !== "admin") {
    return (
      <section aria-labelledby="tokens-forbidden" className="mx-auto max-w-lg rounded-lg border border-slate-200 bg-white p-6 shadow-sm" data-testid="tokens-forbidden">
        <h1 id="tokens-forbidden" className="text-lg font-semibold">
          Only admins can manage API tokens
        </h1>
        <p className="mt-2 text-sm text-slate-700">You are signed in as a viewer. Ask an admin for a read token if a script needs one.</p>
        <Link href="/devices" className={`${buttonClass("primary")} mt-4`}>
          Back to devices
        </Link>
      </section>
    );
  }
  return <TokenAdmin />;
}
