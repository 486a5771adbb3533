import type { Metadata } from "next";
import { JobView } from "@/components/jobs/JobView";
import { requireUser } from "@/lib/auth";

export const metadata: Metadata = { title: "Push job · SIP Admin Portal" };

export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const { id } = await params;
  return <JobView jobId={id} canEdit={user.role === "admin"} />;
}
