import type { Metadata } from "next";
import { AlertSettings } from "@/components/settings/AlertSettings";
import { ProvisioningSettings } from "@/components/settings/ProvisioningSettings";
import { RegistrarSettings } from "@/components/settings/RegistrarSettings";
import { requireUser } from "@/lib/auth";

export const metadata: Metadata = { title: "Settings · SIP Admin Portal" };

/** /settings: the network side — registrars the portal reads, alert channels, provisioning (admins). */
export default async function SettingsPage() {
  const user = await requireUser();
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold text-slate-900">Settings</h1>
      <RegistrarSettings isAdmin={user.role === "admin"} />
      <AlertSettings isAdmin={user.role === "admin"} />
      {/* The shared provisioning credentials are for admins only (the API refuses viewers too). */}
      {user.role === "admin" && <ProvisioningSettings />}
    </div>
  );
}
