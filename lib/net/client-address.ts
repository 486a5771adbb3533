// The address of the client behind a request, for the sign-in throttle and the provisioning server (one rule):
//  - TRUST_PROXY=1: the last X-Forwarded-For entry — the one our own reverse proxy wrote (entries before it are
//    whatever the client sent);
//  - else, under `npm start` (server.mjs, flag in lib/net/socket-address.mjs): the TCP peer's address, which
//    server.mjs wrote over the client's X-Forwarded-For;
//  - else (`next start`, `next dev`): "unknown" — the header may be the client's own, so it is never believed.
import ipaddr from "ipaddr.js";
import { env } from "@/lib/env";
import { SOCKET_FORWARDED } from "./socket-address.mjs";

export const UNKNOWN_CLIENT = "unknown";

const socketForwarded = () => (globalThis as unknown as Record<symbol, unknown>)[SOCKET_FORWARDED] === true;

export function clientAddressOf(req: Request): string {
  if (!env().TRUST_PROXY && !socketForwarded()) return UNKNOWN_CLIENT;
  const last = (req.headers.get("x-forwarded-for") ?? "").split(",").map((h) => h.trim()).filter(Boolean).at(-1);
  if (!last) return UNKNOWN_CLIENT;
  // One spelling per address (an IPv4 client of a dual-stack socket arrives as ::ffff:a.b.c.d).
  return ipaddr.isValid(last) ? ipaddr.process(last).toString() : last.slice(0, 64);
}
