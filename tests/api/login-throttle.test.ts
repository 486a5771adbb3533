import { eq } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as session from "@/app/api/v1/session/route";
import { call } from "@/tests/support/api";
import { createUser, resetLoginThrottle } from "@/lib/auth";
import { getDb } from "@/lib/db";
import { auditLog } from "@/lib/db/schema";
import { useApiFixture } from "./support";

useApiFixture();

const signIn = (username: string, password: string, headers?: Record<string, string>) =>
  call(session.POST, "POST", "/session", { body: { username, password }, headers });

const blockedAudits = async (actor: string) =>
  (await (await getDb()).select().from(auditLog).where(eq(auditLog.action, "login.blocked"))).filter((a) => a.actor === actor);

beforeAll(async () => {
  await createUser({ username: "gus", password: "gus-password", role: "viewer" });
  await createUser({ username: "hal", password: "hal-password", role: "viewer" });
});
beforeEach(() => resetLoginThrottle());
afterEach(() => {
  delete process.env.TRUST_PROXY;
  delete process.env.LOGIN_MAX_FAILURES;
  resetLoginThrottle();
});

describe("POST /api/v1/session: failed sign-in limit", () => {
  it("5 wrong passwords → the 6th is 429 with Retry-After even with the right password; audited once", async () => {
    for (let i = 0; i < 5; i++) expect((await signIn("gus", "wrong-password")).status).toBe(401);
    const blocked = await signIn("gus", "gus-password");
    expect(blocked.status).toBe(429);
    expect(blocked.body).toEqual({
      error: { code: "too_many_attempts", message: "Too many failed sign-ins for this account; try again in 15 minutes" },
    });
    const retryAfter = Number(blocked.res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(blocked.res.headers.get("set-cookie")).toBeNull();
    expect((await signIn("gus", "wrong-password")).status).toBe(429);
    // The username is matched case-insensitively, so "GUS" does not get 5 more guesses.
    expect((await signIn("GUS", "wrong-password")).status).toBe(429);
    // Another username is unaffected.
    expect((await signIn("hal", "hal-password")).status).toBe(200);
    const audits = await blockedAudits("gus");
    expect(audits).toHaveLength(1);
    expect(audits[0].details).toMatchObject({ scope: "username+ip", ip: "unknown", failures: 5, minutes: 15 });
  });

  it("a success clears the username+IP counter", async () => {
    for (let i = 0; i < 4; i++) expect((await signIn("hal", "wrong-password")).status).toBe(401);
    expect((await signIn("hal", "hal-password")).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await signIn("hal", "wrong-password")).status).toBe(401);
    expect((await signIn("hal", "hal-password")).status).toBe(200);
    expect(await blockedAudits("hal")).toHaveLength(0);
  });

  it("parallel guesses cannot slip past the limit", async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => signIn("gus", "wrong-password")));
    expect(results.map((r) => r.status).sort()).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
  });

  it("behind a trusted proxy, counts per client address (the last X-Forwarded-For hop); the right password from another address always works", async () => {
    process.env.TRUST_PROXY = "1";
    process.env.LOGIN_MAX_FAILURES = "2"; // → slowed down past 8 per username
    process.env.LOGIN_SLOWDOWN_MS = "0";
    resetLoginThrottle();
    const from = (ip: string) => ({ "x-forwarded-for": `10.9.9.9, ${ip}` });
    for (let i = 0; i < 2; i++) expect((await signIn("hal", "wrong-password", from("192.0.2.1"))).status).toBe(401);
    expect((await signIn("hal", "hal-password", from("192.0.2.1"))).status).toBe(429);
    // A spoofed first entry does not help; another real address still may try.
    expect((await signIn("hal", "hal-password", { "x-forwarded-for": "203.0.113.50, 192.0.2.1" })).status).toBe(429);
    expect((await signIn("hal", "hal-password", from("192.0.2.2"))).status).toBe(200);
    // Distributed guessing: 2 failures from each of 5 more addresses → past 8 for the username → each of those
    // addresses is blocked, but the owner from yet another address is not (issue 13, hole 3).
    for (const ip of ["192.0.2.3", "192.0.2.4", "192.0.2.5", "192.0.2.6", "192.0.2.7"]) {
      for (let i = 0; i < 2; i++) expect((await signIn("hal", "wrong-password", from(ip))).status).toBe(401);
      expect((await signIn("hal", "hal-password", from(ip))).status).toBe(429);
    }
    expect((await signIn("hal", "hal-password", from("192.0.2.8"))).status).toBe(200);
    expect((await blockedAudits("hal")).map((a) => a.details?.scope)).toEqual(expect.arrayContaining(["username+ip"]));
    delete process.env.LOGIN_SLOWDOWN_MS;
  });
});

describe("hole 3: sign-in throttling cannot lock the owner out", () => {
  const knownCookie = (res: Response) => {
    const c = res.headers.getSetCookie().find((v) => v.startsWith("sap_known="));
    expect(c, "the success sets a known-browser cookie").toBeTruthy();
    return c!.split(";")[0];
  };

  it("without TRUST_PROXY, an attacker's failures (also as VICTIM1) never block a browser that signed in before", async () => {
    await createUser({ username: "victim1", password: "victim-password", role: "viewer" });
    const first = await signIn("victim1", "victim-password");
    expect(first.status).toBe(200);
    const cookie = knownCookie(first.res);
    for (let i = 0; i < 5; i++) expect((await signIn(i % 2 ? "VICTIM1" : "victim1", "guess-" + i)).status).toBe(401);
    expect((await signIn("VICTIM1", "victim-password")).status).toBe(429); // the attacker's (unknown) source
    const owner = await signIn("victim1", "victim-password", { cookie });
    expect(owner.status).toBe(200);
    // Wrong passwords from the known browser count for that browser alone.
    for (let i = 0; i < 5; i++) expect((await signIn("victim1", "typo", { cookie })).status).toBe(401);
    expect((await signIn("victim1", "victim-password", { cookie })).status).toBe(429);
  });

  it("a known-browser cookie of another user, or a forged one, is an unknown source", async () => {
    const gus = await signIn("gus", "gus-password");
    const gusCookie = knownCookie(gus.res);
    for (let i = 0; i < 5; i++) expect((await signIn("hal", "wrong", { cookie: gusCookie })).status).toBe(401);
    expect((await signIn("hal", "hal-password", { cookie: gusCookie })).status).toBe(429);
    expect((await signIn("hal", "hal-password", { cookie: "sap_known=aGFs.AAAA.forged" })).status).toBe(429);
  });

  it("usernames are unique case-insensitively", async () => {
    await expect(createUser({ username: "Victim1", password: "another-password", role: "admin" })).rejects.toMatchObject({ code: "conflict" });
  });
});
