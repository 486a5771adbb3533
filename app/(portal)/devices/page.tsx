import type { Metadata } from "next";
import { Suspense } from "react";
import { DeviceInventory } from "@/components/devices/DeviceInventory";
import { requireUser } from "@/lib/auth";

export const metadata: Metadata = { title: "Devices · SIP Admin Portal" };

export default async function DevicesPage() {
  const user = await requireUser();
  // The list itself is fetched in the browser from /api/v1/devices, page by page, so 10,000 devices
  // never travel at once; the role only hides buttons (the API refuses viewers' writes anyway).
  return (
    <Suspense>
      <DeviceInventory role={user.role} />
    </Suspense>
  );
}
