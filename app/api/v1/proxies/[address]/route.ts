import { handler, reply } from "@/lib/api/handler";
import { proxyDetailSchema } from "@/lib/proxy-health/model";
import { getProxy } from "@/lib/proxy-health";

export const dynamic = "force-dynamic";

/** One proxy (address = host:port, URL-encoded): its timeline, recent probes and the phones that depend on it. */
export const GET = handler<{ address: string }>(async (_req, { params }) => reply(proxyDetailSchema, await getProxy(decodeURIComponent(params.address))));
