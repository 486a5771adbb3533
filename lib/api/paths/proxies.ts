// Part of the OpenAPI document (registered in lib/api/openapi.ts).
import { z } from "zod";
import { proxyDetailSchema, proxyListSchema } from "@/lib/proxy-health/model";
import { E, ok, op, type Paths } from "../doc";

export const proxyPaths: Paths = {
  "/proxies": {
    get: op({
      summary: "Every proxy address the fleet is configured with (primary, redundant, registrar, outbound), probed by SIP OPTIONS",
      description: "The portal sends OPTIONS from its own UDP socket (RFC 3261 retransmissions) every PROXY_PROBE_INTERVAL_S; any SIP response is up.",
      responses: { 200: ok("Proxies", proxyListSchema), 401: E[401] },
    }),
  },
  "/proxies/{address}": {
    get: op({
      summary: "One proxy: up/down timeline, recent probes and the phones that depend on it",
      requestParams: { path: z.object({ address: z.string().meta({ description: "host:port, URL-encoded", example: "10.0.0.5%3A5060" }) }) },
      responses: { 200: ok("Proxy", proxyDetailSchema), 401: E[401], 404: E[404] },
    }),
  },
};
