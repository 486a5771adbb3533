import type { Metadata } from "next";
import { JobList } from "@/components/jobs/JobList";
import { requireUser } from "@/lib/auth";

export const metadata: Metadata = { title: "Jobs · SIP Admin Portal" };

export default async function JobsPage() {
  await requireUser();
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Push jobs</h1>
      <JobList />
    </div>
  );
}
