import { handler, reply } from "@/lib/api/handler";
import { provisioningOverviewSchema } from "@/lib/provisioning/schemas";
import { provisioningOverview } from "@/lib/provisioning/view";

/** Admins: the provisioning path and shared credentials to give phones, and the unknown phones that asked. */
export const GET = handler(async () => reply(provisioningOverviewSchema, await provisioningOverview()), { auth: "admin" });
