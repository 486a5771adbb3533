import type { Metadata } from "next";
import { PollerHealthView } from "@/components/status/PollerHealthView";
import { requireUser } from "@/lib/auth";

export const metadata: Metadata = { title: "Poller status · SIP Admin Portal" };

export default async function StatusPage() {
  await requireUser();
  return <PollerHealthView />;
}
