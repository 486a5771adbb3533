import { handler, readJson, reply, userOf } from "@/lib/api/handler";
import { pointAtProvisioning } from "@/lib/provisioning/point";
import { pointAtProvisioningResultSchema } from "@/lib/provisioning/schemas";

type P = { id: string };

/** Point a web-interface phone at the provisioning server and make it a provisioning phone (admins). */
export const POST = handler<P>(
  async (req, ctx) => reply(pointAtProvisioningResultSchema, await pointAtProvisioning(ctx.params.id, await readJson(req), userOf(ctx).username)),
  { auth: "admin" },
);
