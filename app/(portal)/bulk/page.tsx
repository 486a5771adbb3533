import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Suspense } from "react";
import { BulkEditor } from "@/components/bulk/BulkEditor";
import { requireUser } from "@/lib/auth";

export const metadata: Metadata = { title: "Bulk edit · SIP Admin Portal" };

/** /bulk?ids=… or /bulk?site=…&tag=…&q=…&status=…: bulk edit of the proxy settings (admins). */
export default async function BulkPage() {
  const user = await requireUser();
  if (user.role !== "admin") redirect("/devices");
  return (
    <Suspense>
      <BulkEditor />
    </Suspense>
  );
}
