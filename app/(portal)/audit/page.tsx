import type { Metadata } from "next";
import { AuditLog } from "@/components/audit/AuditLog";
import { requireUser } from "@/lib/auth";

export const metadata: Metadata = { title: "Audit log · SIP Admin Portal" };

/** /audit: who did what, when (admins and viewers). Filtered and paged on the server through /api/v1/audit. */
export default async function AuditPage() {
  await requireUser();
  return <AuditLog />;
}
