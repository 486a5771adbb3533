import { handler, reply } from "@/lib/api/handler";
import { deviceProvisioningSchema } from "@/lib/provisioning/schemas";
import { deviceProvisioning } from "@/lib/provisioning/view";

type P = { id: string };

/** The phone's provisioning fetches and the configuration its file holds now (any driver; empty for non-provisioning phones). */
export const GET = handler<P>(async (_req, { params }) => reply(deviceProvisioningSchema, await deviceProvisioning(params.id)));
