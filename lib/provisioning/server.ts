// GET /provisioning/<mac>.cfg: allowed network → rate limit → credentials → the phone's file, and a record of it.
// The order matters: a request from outside PROVISIONING_ALLOW learns nothing (403), and a MAC is looked up only after
// the credentials are proven, so an unauthenticated caller cannot probe which MACs exist.
import "server-only";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { getDesiredConfig } from "@/lib/config-store";
import { challenge, checkAuthorization, type Credentials } from "./auth";
import { renderProvisioningFile } from "./render";
import { isAllowed, provisioningSettings } from "./settings";
import { deviceByMac, recordFetch, recordUnknownPhone } from "./store";
import { provisioningUrl } from "./url";
import { provisioningCredentialsOf } from "@/lib/inventory/devices";
import { clientAddressOf } from "@/lib/net/client-address";
import { env } from "@/lib/env";

const FILE = /^([0-9a-f]{12})\.cfg$/;
let limiter: RateLimiterMemory | undefined;

function text(status: number, body: string, headers: Array<[string, string]> = []): Response {
  const h = new Headers([["content-type", "text/plain; charset=utf-8"], ["cache-control", "no-store"], ...headers]);
  return new Response(body, { status, headers: h });
}

/**
 * The origin the phone used to reach the portal, for the file's own provisioning/configuration/url: the Host header it
 * sent (or, behind a trusted reverse proxy, X-Forwarded-Host/-Proto). Not `req.url`: Next builds that from its own
 * listening name (`localhost` under `next start`), and a phone told to fetch from there would never reach the portal again.
 */
export function originAsAskedBy(req: Request): string {
  const trustProxy = env().TRUST_PROXY;
  const url = new URL(req.url);
  const last = (name: string) => req.headers.get(name)?.split(",").pop()?.trim() || undefined;
  const asked = (trustProxy ? last("x-forwarded-host") : undefined) ?? req.headers.get("host") ?? undefined;
  // A host[:port] only (a hostile header cannot smuggle a path, credentials or a line break into the file).
  const host = asked && /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(asked) ? asked : url.host;
  const proto = (trustProxy ? last("x-forwarded-proto") : undefined) ?? url.protocol.replace(/:$/, "");
  return `${proto === "https" ? "https" : "http"}://${host}`;
}

export async function serveProvisioningFile(req: Request, file: string): Promise<Response> {
  const settings = provisioningSettings();
  const client = clientAddressOf(req);
  if (!isAllowed(client, settings.allow)) return text(403, "This network may not fetch provisioning files\n");
  limiter ??= new RateLimiterMemory({ keyPrefix: "provisioning", points: settings.ratePerMin, duration: 60 });
  try {
    await limiter.consume(client);
  } catch {
    return text(429, "Too many requests\n", [["retry-after", "60"]]);
  }
  const match = FILE.exec(file);
  if (!match) return text(404, "Not found: the file name must be <mac>.cfg (12 lower-case hex digits)\n");
  const mac = match[1];
  const path = new URL(req.url).pathname;
  const device = await deviceByMac(mac);
  // Per-device credentials open only that device's file; the shared ones open every file (documented).
  const own = device ? provisioningCredentialsOf(device) : null;
  const accepted: Credentials[] = own ? [own] : [settings.shared];
  const auth = checkAuthorization(req.headers.get("authorization"), { method: req.method, path }, accepted);
  if (!auth.ok) {
    return text(401, "Authentication required\n", [["www-authenticate", challenge(auth.stale)]]);
  }
  // Stored and shown to admins: control characters out, bounded (a hostile client picks this header).
  const userAgent = (req.headers.get("user-agent") ?? "").replace(/[\u0000-\u001f\u007f-\u009f]/g, "").slice(0, 200);
  if (!device) {
    await recordUnknownPhone({ mac, clientAddress: client, userAgent });
    return text(404, `No phone with MAC ${mac} in the inventory (listed under unknown phones for an admin to adopt)\n`);
  }
  const desired = await getDesiredConfig(device.id);
  const cred = own ?? settings.shared;
  const configUrl = provisioningUrl(originAsAskedBy(req), cred);
  const { body, hash } = renderProvisioningFile({ model: device.model, values: desired.values, revision: desired.revision, configUrl });
  await recordFetch({ deviceId: device.id, clientAddress: client, userAgent, revision: desired.revision, hash });
  notifyFetch(device.id, desired.revision);
  return text(200, body, [["etag", `"${hash.slice(0, 16)}"`]]);
}

// In-process wake-up for a push waiting on this phone's fetch (the waiter also re-reads the table).
type Listener = (revision: number) => void;
const KEY = Symbol.for("sip-admin-portal.provisioning-fetch");
const listeners = ((globalThis as { [KEY]?: Map<string, Set<Listener>> })[KEY] ??= new Map());

function notifyFetch(deviceId: string, revision: number): void {
  for (const l of listeners.get(deviceId) ?? []) l(revision);
}

export function onFetch(deviceId: string, listener: Listener): () => void {
  const set = listeners.get(deviceId) ?? new Set();
  set.add(listener);
  listeners.set(deviceId, set);
  return () => set.delete(listener);
}
