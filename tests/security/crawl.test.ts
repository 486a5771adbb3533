// A crawl of every /api/v1 route file and every method it exports: anonymous, with forged credentials, as a viewer
// and with a read token. What must be refused is refused, every time (the page crawl is in e2e/security.spec.ts).
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import * as healthRoute from "@/app/api/v1/health/route";
import * as tokensRoute from "@/app/api/v1/tokens/route";
import { call } from "@/tests/support/api";
import { useApiFixture } from "../api/support";

const f = useApiFixture();
const ROOT = path.resolve(__dirname, "../../app/api/v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const ID = "00000000-0000-4000-8000-000000000000";

/** Route files as URL paths with [param] segments, e.g. "/devices/[id]/config". */
function routeFiles(dir = ROOT, prefix = ""): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...routeFiles(full, `${prefix}/${name}`));
    else if (name === "route.ts") out.push(prefix);
  }
  return out.sort();
}

// /health answers liveness to anyone, its details only to a signed-in user (checked below).
const PUBLIC = new Set(["POST /session", "GET /openapi.json", "GET /health"]);
/** Reads that admins only may make. */
const ADMIN_READS = new Set(["GET /users", "GET /tokens", "GET /provisioning"]);
/** Non-GET requests that change nothing, or only the caller's own session: viewers may make them. */
const VIEWER_WRITES = new Set(["POST /devices/[id]/config.cfg/preview", "POST /jobs/preview", "POST /jobs/preview.csv", "POST /jobs/common", "POST /session"]);
/** Changes to the caller's own account (two-step sign-in): any signed-in user, but never an API token. */
const OWN_ACCOUNT = new Set(["POST /account/totp", "POST /account/totp/confirm", "POST /account/totp/disable"]);
/** The caller's own saved device-list views: any signed-in user, but never a read token. */
const OWN_DATA = new Set(["POST /views", "DELETE /views/[id]"]);

type RouteFn = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Status of one request; the body (an SSE stream, maybe) is cancelled, not awaited. */
async function statusOf(fn: RouteFn, method: string, url: string, headers: Record<string, string>, params: Record<string, string>): Promise<number> {
  const body = method === "GET" || method === "DELETE" ? undefined : "{}";
  const res = await fn(new Request(`http://127.0.0.1:3202/api/v1${url}`, { method, headers: { "content-type": "application/json", ...headers }, body }), { params: Promise.resolve(params) });
  await res.body?.cancel().catch(() => undefined);
  return res.status;
}

let readToken = "";
beforeAll(async () => {
  readToken = (await call(tokensRoute.POST, "POST", "/tokens", { token: f.admin, body: { name: "crawler", scope: "read" } })).body.token;
});

describe("crawl of every /api/v1 route", () => {
  it("anonymous and forged credentials → 401; viewer and read token → 403 on every change and admin read", async () => {
    const routes = routeFiles();
    expect(routes.length).toBeGreaterThan(30);
    let checked = 0;
    for (const route of routes) {
      const mod = (await import(/* @vite-ignore */ path.join(ROOT, route, "route.ts"))) as Record<string, RouteFn>;
      const params = Object.fromEntries([...route.matchAll(/\[(\w+)\]/g)].map((m) => [m[1], ID]));
      const url = route.replace(/\[\w+\]/g, ID);
      for (const method of METHODS) {
        const fn = mod[method];
        if (!fn) continue;
        const key = `${method} ${route}`;
        const who = (h: Record<string, string>) => statusOf(fn, method, url, h, params);
        if (!PUBLIC.has(key)) {
          for (const [label, h] of [
            ["anonymous", {}],
            ["forged Bearer", { authorization: "Bearer forged-session-token" }],
            ["forged API token", { authorization: "Bearer sapt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }],
            ["forged cookie", { cookie: "sap_session=forged-session-token", origin: "http://127.0.0.1:3202" }],
            ["broken cookie", { cookie: "sap_session=%E0%A4%A", origin: "http://127.0.0.1:3202" }],
            ["Basic auth", { authorization: "Basic YWRtaW46YWRtaW4=" }],
          ] as const) {
            expect(await who(h), `${key} ${label}`).toBe(401);
            checked++;
          }
        }
        // Signing out would end the viewer's session for the rest of the crawl.
        if (key === "DELETE /session") continue;
        const mustRefuseViewer = ADMIN_READS.has(key) || (method !== "GET" && !VIEWER_WRITES.has(key) && !OWN_ACCOUNT.has(key) && !OWN_DATA.has(key));
        for (const [label, token] of [
          ["viewer", f.viewer],
          ["read token", readToken],
        ] as const) {
          const s = await who({ authorization: `Bearer ${token}` });
          if (mustRefuseViewer || ((OWN_ACCOUNT.has(key) || OWN_DATA.has(key)) && label === "read token")) expect(s, `${key} as ${label}`).toBe(403);
          else {
            expect(s, `${key} as ${label}`).not.toBe(401);
            expect(s, `${key} as ${label}`).not.toBe(403);
            expect(s, `${key} as ${label}`).toBeLessThan(500);
          }
          checked++;
        }
        // A cookie-authenticated change from another site is refused, whoever signed in.
        if (method !== "GET" && !PUBLIC.has(key)) {
          expect(await who({ cookie: `sap_session=${f.admin}`, origin: "http://evil.example" }), `${key} cross-site`).toBe(403);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it("/health tells anonymous and forged callers only that the portal is alive", async () => {
    const callers: Record<string, string>[] = [{}, { authorization: "Bearer forged-session-token" }, { cookie: "sap_session=%E0%A4%A" }];
    for (const headers of callers) {
      const res = await healthRoute.GET(new Request("http://127.0.0.1:3202/api/v1/health", { headers }), { params: Promise.resolve({}) });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "ok" });
    }
    const signedIn = await call(healthRoute.GET, "GET", "/health", { token: f.viewer });
    expect(Object.keys(signedIn.body)).toEqual(expect.arrayContaining(["status", "database", "processes"]));
  });
});
