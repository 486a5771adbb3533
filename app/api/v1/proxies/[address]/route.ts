import { handler, json } from "@/lib/api/handler";
import { getProxy } from "@/lib/proxy-health";

export const dynamic = "force-dynamic";

/** One proxy (address = host:port, URL-encoded): its timeline, recent probes and the phones that depend on it. */
export const GET = handler<{ address: string }>(async (_req, { params }) => json(await getProxy(decodeURIComponent(params.address))));
