import { handler, reply } from "@/lib/api/handler";
import { proxyListSchema } from "@/lib/proxy-health/model";
import { listProxies } from "@/lib/proxy-health";

export const dynamic = "force-dynamic";

/** Every proxy address the fleet is configured with: up/down by SIP OPTIONS, round trip, dependent phones. */
export const GET = handler(async () => reply(proxyListSchema, await listProxies()));
