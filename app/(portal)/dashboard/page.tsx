import type { Metadata } from "next";
import { Dashboard } from "@/components/status/Dashboard";
import { requireUser } from "@/lib/auth";

export const metadata: Metadata = { title: "Dashboard · SIP Admin Portal" };

export default async function DashboardPage() {
  await requireUser();
  return <Dashboard />;
}
