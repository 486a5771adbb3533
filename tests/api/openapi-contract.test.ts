// The OpenAPI document cannot drift from the replies: every GET route under app/api/v1 is found on disk, must be
// described in /api/v1/openapi.json, and its real reply (against a real emulated phone, a real job, revision,
// registrar …) is validated against the document's response schema with ajv.
// A new GET route fails here until it is documented; a route with a new id kind needs an entry in ID_FOR.
// Address range (i10-server): phone 127.60.0.1:8080.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFleet, type Emulator } from "../../emulator/src/fleet/index";
import { call } from "@/tests/support/api";
import { eventually } from "@/tests/support/eventually";
import * as openapiRoute from "@/app/api/v1/openapi.json/route";
import * as syncRoute from "@/app/api/v1/devices/[id]/sync/route";
import * as configRoute from "@/app/api/v1/devices/[id]/config/route";
import * as jobsRoute from "@/app/api/v1/jobs/route";
import * as registrarsRoute from "@/app/api/v1/registrars/route";
import * as revisionsRoute from "@/app/api/v1/devices/[id]/revisions/route";
import { closeDeviceClients } from "@/lib/device";
import { createDevice } from "@/lib/inventory/devices";
import { startJobRunner, stopJobRunner } from "@/lib/jobs";
import { useApiFixture } from "./support";

const f = useApiFixture();
const API_DIR = path.resolve(__dirname, "../../app/api/v1");
const IP = "127.60.0.1";

type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>> };

/** Every `route.ts` under app/api/v1 that exports GET, as an OpenAPI path template ("/devices/{id}/config"). */
function getRoutesOnDisk(): { template: string; file: string }[] {
  const out: { template: string; file: string }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name === "route.ts") {
        const rel = path.relative(API_DIR, dir).split(path.sep).join("/");
        out.push({ template: "/" + rel.replace(/\[(\w+)\]/g, "{$1}"), file: full });
      }
    }
  };
  walk(API_DIR);
  return out.sort((a, b) => a.template.localeCompare(b.template));
}

/** Which fixture fills a path parameter, by the segment before it (devices/{id} → a device id). */
const ID_FOR: Record<string, () => string> = {
  devices: () => ids.device,
  jobs: () => ids.job,
  revisions: () => ids.revision,
  registrars: () => ids.registrar,
  users: () => ids.user,
  proxies: () => encodeURIComponent("127.60.0.252:5060"),
  tokens: () => ids.token,
};
const ids = { device: "", unread: "", job: "", revision: "", registrar: "", user: "", token: "" };

function paramsFor(template: string, override?: Record<string, string>): { params: Record<string, string>; url: string } {
  const params: Record<string, string> = {};
  const segments = template.split("/");
  const url = segments
    .map((seg, i) => {
      const m = /^\{(\w+)\}$/.exec(seg);
      if (!m) return seg;
      const value = override?.[m[1]] ?? ID_FOR[segments[i - 1]]?.();
      if (!value) throw new Error(`tests/api/openapi-contract.test.ts: add an ID_FOR entry for "${segments[i - 1]}/{${m[1]}}"`);
      params[m[1]] = value;
      return value;
    })
    .join("/");
  return { params, url };
}

let fleet: Emulator;
let doc: Doc;
let ajv: Ajv2020;

beforeAll(async () => {
  fleet = await startFleet({ devices: 1, firstIp: IP, httpPort: 8080, username: "admin", password: "pw", sip: false });
  ids.device = (await createDevice({ name: "contract phone", address: `${IP}:8080`, username: "admin", password: "pw", site: "HQ", tags: ["a"] }, "root")).id;
  // A phone that is never read (nothing listens there): its replies must validate too.
  ids.unread = (await createDevice({ name: "never read", address: "127.60.0.250:8080", username: "admin", password: "pw" }, "root")).id;
  expect((await call(syncRoute.POST, "POST", `/devices/${ids.device}/sync`, { token: f.admin, params: { id: ids.device } })).status).toBe(200);
  const port = "voip/signalling/sip/port";
  expect((await call(configRoute.PATCH, "PATCH", `/devices/${ids.device}/config`, { token: f.admin, params: { id: ids.device }, body: { values: { [port]: 5062 } } })).status).toBe(200);
  const revs = await call(revisionsRoute.GET, "GET", `/devices/${ids.device}/revisions`, { token: f.admin, params: { id: ids.device } });
  ids.revision = String(revs.body[0].id);
  const runner = startJobRunner({ pollMs: 100 });
  const job = await call(jobsRoute.POST, "POST", "/jobs", { token: f.admin, body: { deviceIds: [ids.device], values: { "voip/signalling/sip/redundant/use_redundant_proxy": 0 } } });
  expect(job.status).toBe(201);
  ids.job = job.body.id;
  await runner.idle(ids.job);
  const reg = await call(registrarsRoute.POST, "POST", "/registrars", { token: f.admin, body: { name: "contract", kind: "kamailio", url: "http://127.60.0.251:5071/RPC" } });
  expect(reg.status).toBe(201);
  ids.registrar = reg.body.id;
  const users = await call((await import("@/app/api/v1/users/route")).GET, "GET", "/users", { token: f.admin });
  ids.user = users.body.items[0].id;
  // One API token, so GET /tokens lists an item (never its value).
  const token = await call((await import("@/app/api/v1/tokens/route")).POST, "POST", "/tokens", { token: f.admin, body: { name: "contract", scope: "read" } });
  expect(token.status).toBe(201);
  ids.token = token.body.id;
  doc = (await call(openapiRoute.GET, "GET", "/openapi.json")).body;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  // Components are referenced as #/components/schemas/X: register the whole document once.
  ajv.addSchema({ $id: "openapi", ...doc } as object);
});
afterAll(async () => {
  await stopJobRunner();
  await closeDeviceClients();
  await fleet?.stop();
});

/** The JSON schema of one response, with its $refs resolvable against the registered document. */
function responseSchema(template: string, status: number, contentType: string): object | null {
  const res = doc.paths[template]?.get?.responses?.[String(status)];
  if (!res?.content) return null;
  const s = res.content[contentType]?.schema;
  return s === undefined ? null : JSON.parse(JSON.stringify(s).replaceAll('"#/components/', '"openapi#/components/'));
}

async function checkGet(template: string, override?: Record<string, string>, query = "") {
  const mod = (await import(/* @vite-ignore */ getRoutesOnDisk().find((r) => r.template === template)!.file)) as { GET: Parameters<typeof call>[0] };
  const { params, url } = paramsFor(template, override);
  const r = await call(mod.GET, "GET", url + query, { token: f.admin, params });
  const contentType = (r.res.headers.get("content-type") ?? "").split(";")[0];
  const documented = doc.paths[template]?.get?.responses?.[String(r.status)];
  expect(documented, `${template} answered ${r.status} (${JSON.stringify(r.body).slice(0, 300)}), which the document does not list`).toBeDefined();
  if (contentType === "application/json") {
    const schema = responseSchema(template, r.status, "application/json");
    expect(schema, `${template} ${r.status}: no JSON schema in the document`).not.toBeNull();
    const validate = ajv.compile(schema!);
    const valid = validate(r.body);
    expect(valid, `${template} ${r.status} does not match the document: ${ajv.errorsText(validate.errors, { separator: "\n" })}\nreply: ${JSON.stringify(r.body).slice(0, 600)}`).toBe(true);
  } else {
    expect(Object.keys(documented!.content ?? {}), `${template}: ${contentType} is not documented`).toContain(contentType);
  }
  return r;
}

describe("the OpenAPI document matches the replies", () => {
  it("documents every GET route on disk", () => {
    const onDisk = getRoutesOnDisk().map((r) => r.template);
    expect(onDisk.length).toBeGreaterThan(15);
    for (const t of onDisk) expect(doc.paths, `route ${t} is not in openapi.json`).toHaveProperty([t]);
  });

  it.each(
    getRoutesOnDisk()
      .filter((r) => !/events$/.test(r.template)) // server-sent event streams never end; their content type is checked below
      .map((r) => r.template),
  )("GET %s validates", async (template) => {
    // A route file without GET (POST-only) is skipped.
    const mod = (await import(/* @vite-ignore */ getRoutesOnDisk().find((r) => r.template === template)!.file)) as Record<string, unknown>;
    if (!mod.GET) return;
    await checkGet(template);
  });

  it("a never-read phone's config and a filtered device list validate too", async () => {
    await checkGet("/devices/{id}/config", { id: ids.unread });
    await checkGet("/devices", undefined, "?status=unknown&pageSize=5");
  });

  it("event streams are documented as text/event-stream", () => {
    for (const t of getRoutesOnDisk().map((r) => r.template).filter((t) => /events$/.test(t))) {
      expect(Object.keys(doc.paths[t]?.get?.responses?.["200"]?.content ?? {}), t).toContain("text/event-stream");
    }
  });

  it("the job's reply validates once it ran", async () => {
    await eventually("job done", async () => (await checkGet("/jobs/{id}")).body.state, (s) => s === "done");
  });
});
