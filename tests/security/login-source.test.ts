// Issue 13, hole 3 over real sockets: the sign-in throttle keys on the client's real address (lib/net/client-address)
// as `npm start` serves the portal (server.mjs's own step, lib/net/socket-address.mjs), from distinct loopback source
// addresses. Without TRUST_PROXY the TCP peer counts and any X-Forwarded-For a client sends is overwritten; with
// TRUST_PROXY=1 the reverse proxy's last entry counts. Loopback range 127.68.7.x.
import http from "node:http";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as session from "@/app/api/v1/session/route";
import { resetLoginThrottle } from "@/lib/auth";
import { getDb } from "@/lib/db";
import { auditLog } from "@/lib/db/schema";
import { startRouteServer } from "@/tests/support/route-server";
import { useApiFixture } from "../api/support";

useApiFixture(); // vera / vera-password
const HOST = "127.68.7.1";
const ATTACKER = "127.68.7.10";
const OWNER = "127.68.7.11";
const PROXY = "127.68.7.20";
let portal: Awaited<ReturnType<typeof startRouteServer>> | null = null;

function signIn(from: string, password: string, headers: Record<string, string> = {}): Promise<number> {
  const body = JSON.stringify({ username: "vera", password });
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: HOST, port: portal!.port, localAddress: from, method: "POST", path: "/api/v1/session", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode!));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const serve = async (trustProxy: boolean) => {
  await portal?.close();
  portal = await startRouteServer(HOST, 0, (req, path) => (path === "/api/v1/session" ? session.POST(req, { params: Promise.resolve({}) }) : null), { trustProxy });
};

const blocked = async () => (await (await getDb()).select().from(auditLog).where(eq(auditLog.action, "login.blocked"))).map((a) => a.details);

beforeAll(() => serve(false));
afterAll(() => portal?.close());
beforeEach(() => resetLoginThrottle());
afterEach(async () => {
  delete process.env.TRUST_PROXY;
  await (await getDb()).delete(auditLog).where(eq(auditLog.action, "login.blocked"));
});

describe("sign-in throttle on the socket's address (npm start, no TRUST_PROXY)", () => {
  it("5 wrong passwords from one address block that address only; the right password from another address works", async () => {
    for (let i = 0; i < 5; i++) expect(await signIn(ATTACKER, `guess-${i}`)).toBe(401);
    expect(await signIn(ATTACKER, "vera-password")).toBe(429);
    expect(await signIn(OWNER, "vera-password")).toBe(200);
    expect(await blocked()).toEqual([expect.objectContaining({ scope: "username+ip", ip: ATTACKER, failures: 5 })]);
  });

  it("a forged X-Forwarded-For changes nothing: neither a way out of the block nor a way to block someone else", async () => {
    for (let i = 0; i < 5; i++) expect(await signIn(ATTACKER, `guess-${i}`, { "x-forwarded-for": OWNER })).toBe(401);
    // The failures counted for the attacker's socket, not for the address it named.
    expect(await signIn(OWNER, "vera-password")).toBe(200);
    for (const forged of [OWNER, "198.51.100.99", `198.51.100.1, ${OWNER}`]) {
      expect(await signIn(ATTACKER, "vera-password", { "x-forwarded-for": forged })).toBe(429);
    }
    expect(await blocked()).toEqual([expect.objectContaining({ ip: ATTACKER })]);
  });
});

describe("behind a trusted reverse proxy (TRUST_PROXY=1)", () => {
  beforeAll(() => serve(true));
  afterAll(() => serve(false));

  it("counts per client address, the proxy's last X-Forwarded-For entry; another client through the same proxy signs in", async () => {
    process.env.TRUST_PROXY = "1";
    const via = (client: string) => ({ "x-forwarded-for": `203.0.113.9, ${client}` }); // the first entry is the client's own claim
    for (let i = 0; i < 5; i++) expect(await signIn(PROXY, `guess-${i}`, via("198.51.100.7"))).toBe(401);
    expect(await signIn(PROXY, "vera-password", via("198.51.100.7"))).toBe(429);
    expect(await signIn(PROXY, "vera-password", via("198.51.100.8"))).toBe(200);
    expect(await blocked()).toEqual([expect.objectContaining({ ip: "198.51.100.7" })]);
  });
});
