import Link from "next/link";
import { buttonClass } from "@/components/ui/Button";

export default function PortalNotFound() {
  return (
    <section aria-labelledby="nf-title" className="mx-auto max-w-lg rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 id="nf-title" className="text-lg font-semibold">
        Not found
      </h1>
      <p className="mt-2 text-sm text-slate-700">This page or device does not exist. It may have been removed.</p>
      <Link href="/devices" className={`${buttonClass("primary")} mt-4`}>
        Back to devices
      </Link>
    </section>
  );
}
