import type { Metadata } from "next";
import { requireUser } from "@/lib/auth";
import { DeviceView } from "./DeviceView";

export const metadata: Metadata = { title: "Device · SIP Admin Portal" };

/** /devices/<id>: device header, registration status slot and the configuration form. */
export default async function DevicePage({ params }: { params: Promise<{ id: string }> }) {
  // The layout's check does not re-run on client navigations; the page checks the session itself.
  const user = await requireUser();
  const { id } = await params;
  return <DeviceView deviceId={id} role={user.role} />;
}
