// GET /api/v1/health: anonymous callers learn only that the portal and its database answer; a signed-in user also
// sees the database (engine, version, embedded) and the live portal processes — this test process among them.
import { expect, it } from "vitest";
import * as healthRoute from "@/app/api/v1/health/route";
import { call } from "@/tests/support/api";
import { useApiFixture } from "./support";

const f = useApiFixture();

it("answers {status: ok} and nothing more without a session (also with a bad token)", async () => {
  expect(await call(healthRoute.GET, "GET", "/health")).toMatchObject({ status: 200, body: { status: "ok" } });
  const bad = await call(healthRoute.GET, "GET", "/health", { token: "not-a-token" });
  expect(bad.status).toBe(200);
  expect(bad.body).toEqual({ status: "ok" });
});

it("tells a signed-in user the database and the live processes", async () => {
  const r = await call(healthRoute.GET, "GET", "/health", { token: f.viewer });
  expect(r.status).toBe(200);
  expect(r.body.database).toEqual({ engine: "postgresql", version: expect.stringMatching(/^15\.\d+$/), embedded: false });
  expect(r.body.processes).toContainEqual(expect.objectContaining({ kind: "web", pid: process.pid, poller: expect.any(Boolean), jobs: expect.any(Boolean) }));
});
