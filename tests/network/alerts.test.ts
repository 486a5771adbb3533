// Alerts end to end against REAL Kamailio, emulated phones, a local webhook receiver and a local SMTP server
// (the smtp-server package): stopping the primary proxy sends proxy.down to both within 30 s and device.failed_over
// once per phone (none for the phone in maintenance); restarting it sends proxy.up and device.failed_back; a
// webhook that fails at first is retried with backoff until it takes the message; many device alerts of one kind
// go out as one summary.
// Addresses (i14-net): Kamailio 127.70.3.1/.2:5060, receivers 127.70.3.10/.11, phones 127.71.3.1–3:8080.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "@/tests/support/api";
import { AlertSender, signature, startAlertEngine, startAlertSender, stopAlertEngine, stopAlertSender, type AlertPayload } from "@/lib/alerts";
import { applySignal } from "@/lib/alerts/store";
import { getDb } from "@/lib/db";
import { Poller } from "@/lib/poller";
import { startProxyProber, stopProxyProber } from "@/lib/proxy-health";
import * as webhooksRoute from "@/app/api/v1/alerts/webhooks/route";
import * as webhookRoute from "@/app/api/v1/alerts/webhooks/[id]/route";
import * as emailsRoute from "@/app/api/v1/alerts/emails/route";
import * as deliveriesRoute from "@/app/api/v1/alerts/deliveries/route";
import * as deviceRoute from "@/app/api/v1/devices/[id]/route";
import { useApiFixture } from "../api/support";
import { eventually } from "../support/eventually";
import { kamailioAvailable, useNetworkFixture } from "./support";

const available = kamailioAvailable();
const api = useApiFixture();
const SECRET = "hook-secret-1";

interface Received {
  at: number;
  path: string;
  headers: IncomingMessage["headers"];
  raw: string;
  body: AlertPayload;
}

function startReceiver(host: string): Promise<{ server: Server; url: (path: string) => string; got: Received[]; failFirst: Map<string, number> }> {
  const got: Received[] = [];
  const failFirst = new Map<string, number>();
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const left = failFirst.get(req.url!) ?? 0;
      if (left > 0) {
        failFirst.set(req.url!, left - 1);
        res.writeHead(503).end("try later");
        return;
      }
      got.push({ at: Date.now(), path: req.url!, headers: req.headers, raw, body: JSON.parse(raw) as AlertPayload });
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, host, () => resolve({ server, url: (p) => `http://${host}:${(server.address() as AddressInfo).port}${p}`, got, failFirst })),
  );
}

function startSmtp(host: string): Promise<{ server: SMTPServer; port: number; mails: { to: string; subject: string; text: string }[] }> {
  const mails: { to: string; subject: string; text: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, done) {
      let raw = "";
      stream.on("data", (c: Buffer) => (raw += c.toString()));
      stream.on("end", () => {
        const subject = /^Subject: (.*(?:\r\n[ \t].*)*)/im.exec(raw)?.[1].replace(/\r\n[ \t]/g, " ") ?? "";
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(","), subject, text: raw });
        done();
      });
    },
  });
  return new Promise((resolve) => server.listen(0, host, () => resolve({ server, port: (server.server.address() as AddressInfo).port, mails })));
}

describe.skipIf(!available)("alerts (webhook + e-mail) from proxy and device incidents", () => {
  const net = useNetworkFixture({ proxyNet: "127.70.3", phoneNet: "127.71.3", phones: 3, sites: ["berlin", "berlin", "paris"] });
  let hooks: Awaited<ReturnType<typeof startReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let poller: Poller;
  const savedSmtp = process.env.SMTP_URL;

  beforeAll(async () => {
    hooks = await startReceiver("127.70.3.10");
    smtp = await startSmtp("127.70.3.11");
    process.env.SMTP_URL = `smtp://127.70.3.11:${smtp.port}`;
    poller = new Poller({ intervalS: 1, concurrency: 4, timeoutMs: 2_000 });
    await poller.start();
    startProxyProber({ intervalS: 1, timeoutMs: 1_000 });
    await startAlertEngine({ unreachableAfterS: 30, batchWindowS: 1 });
    await startAlertSender({ summaryOver: 10 });
  });
  afterAll(async () => {
    await stopAlertSender();
    await stopAlertEngine();
    await stopProxyProber();
    await poller?.stop();
    await new Promise((r) => hooks?.server.close(r));
    await new Promise((r) => smtp?.server.close(() => r(null)));
    if (savedSmtp === undefined) delete process.env.SMTP_URL;
    else process.env.SMTP_URL = savedSmtp;
  });

  const hookEvents = (path: string, event: string, state = "firing") => hooks.got.filter((g) => g.path === path && g.body.event === event && g.body.state === state);

  it("configures channels: a signed webhook, a flaky one scoped to a site, e-mail; bad input names the field", async () => {
    const bad = await call(webhooksRoute.POST, "POST", "/alerts/webhooks", { token: api.admin, body: { url: "not a url", events: ["proxy.sideways"] } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(["events.0", "url"]);
    expect((await call(webhooksRoute.POST, "POST", "/alerts/webhooks", { token: api.viewer, body: { url: hooks.url("/x") } })).status).toBe(403);

    const main = await call(webhooksRoute.POST, "POST", "/alerts/webhooks", { token: api.admin, body: { url: hooks.url("/main"), secret: SECRET } });
    expect(main.status).toBe(201);
    expect(main.body).toMatchObject({ kind: "webhook", target: hooks.url("/main"), hasSecret: true, events: [], site: null, tag: null });
    expect(JSON.stringify(main.body)).not.toContain(SECRET);
    hooks.failFirst.set("/flaky", 2);
    const flaky = await call(webhooksRoute.POST, "POST", "/alerts/webhooks", { token: api.admin, body: { url: hooks.url("/flaky"), events: ["proxy.down", "device.failed_over"], site: "paris" } });
    expect(flaky.status).toBe(201);
    const mail = await call(emailsRoute.POST, "POST", "/alerts/emails", { token: api.admin, body: { to: "noc@example.com", events: ["proxy.down", "proxy.up"] } });
    expect(mail.status).toBe(201);
    const list = await call(webhooksRoute.GET, "GET", "/alerts/webhooks", { token: api.viewer });
    expect(list.body.map((c: { target: string }) => c.target)).toEqual([hooks.url("/main"), hooks.url("/flaky")]);
  });

  it("puts a phone in maintenance", async () => {
    const r = await call(deviceRoute.PATCH, "PATCH", `/devices/${net.ids[2]}`, { token: api.admin, body: { maintenance: true }, params: { id: net.ids[2] } });
    expect(r.status).toBe(200);
    expect(r.body.maintenance).toBe(true);
    const bad = await call(deviceRoute.PATCH, "PATCH", `/devices/${net.ids[2]}`, { token: api.admin, body: { maintenance: "yes" }, params: { id: net.ids[2] } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields.maintenance).toBe("Maintenance must be true or false");
  });

  it("primary down: proxy.down at the webhook and the SMTP server within 30 s, device.failed_over once per phone", async () => {
    const primary = net.primary.address;
    await eventually("every phone registered to the primary", async () => (await poller.health()).devices === 3 && [0, 1, 2].every((i) => poller.latestStatus(net.ids[i])?.status.proxy === "primary"), Boolean);
    await net.primary.stop();
    const stoppedAt = Date.now();
    await eventually("proxy.down at the webhook", () => hookEvents("/main", "proxy.down").length, (n) => n === 1, 30_000);
    await eventually("proxy.down by e-mail", () => smtp.mails.filter((m) => m.subject.includes("proxy.down")).length, (n) => n === 1, Math.max(1, 30_000 - (Date.now() - stoppedAt)));
    const down = hookEvents("/main", "proxy.down")[0];
    expect(down.body).toMatchObject({ event: "proxy.down", state: "firing", proxy: { address: primary } });
    expect(down.body.details.reason).toMatch(/no answer to SIP OPTIONS/);
    expect(down.headers["x-portal-signature"]).toBe(signature(SECRET, down.raw));
    expect(smtp.mails[0]).toMatchObject({ to: "noc@example.com" });
    expect(smtp.mails[0].subject).toContain(`proxy.down ${primary}`);

    await eventually("device.failed_over for both phones not in maintenance", () => hookEvents("/main", "device.failed_over").map((g) => g.body.device!.id).sort(), (ids) => ids.length === 2);
    expect(hookEvents("/main", "device.failed_over").map((g) => g.body.device!.id).sort()).toEqual([net.ids[0], net.ids[1]].sort());
    // The maintenance phone failed over too (its own report says so) — and sent nothing.
    await eventually("the phone in maintenance on the redundant proxy", () => poller.latestStatus(net.ids[2])?.status.proxy, (p) => p === "redundant");
    // The flaky, paris-scoped channel: the proxy.down (a berlin phone's proxy too, but paris uses it) after two 503s.
    await eventually("flaky webhook got proxy.down after retries", () => hookEvents("/flaky", "proxy.down").length, (n) => n === 1, 30_000);
  });

  it("primary back: proxy.up and device.failed_back, each once; nothing more for the phone in maintenance", async () => {
    await net.primary.start();
    await eventually("proxy.up at the webhook", () => hookEvents("/main", "proxy.up", "resolved").length, (n) => n === 1, 30_000);
    await eventually("proxy.up by e-mail", () => smtp.mails.filter((m) => m.subject.includes("proxy.up")).length, (n) => n === 1, 30_000);
    await eventually("device.failed_back for both", () => hookEvents("/main", "device.failed_back", "resolved").length, (n) => n === 2, 30_000);
    await eventually("the phone in maintenance back on the primary", () => poller.latestStatus(net.ids[2])?.status.proxy, (p) => p === "primary");
    await new Promise((r) => setTimeout(r, 2_500)); // a batch window and a sender pass: anything still coming would be here by now
    const about = (id: string) => hooks.got.filter((g) => g.body.device?.id === id);
    expect(about(net.ids[2])).toEqual([]);
    for (const id of net.ids.slice(0, 2)) expect(about(id).map((g) => `${g.path} ${g.body.event} ${g.body.state}`)).toEqual(["/main device.failed_over firing", "/main device.failed_back resolved"]);
    expect(hookEvents("/main", "proxy.down")).toHaveLength(1);
    expect(smtp.mails.map((m) => m.subject)).toEqual([`[SIP portal] proxy.down ${net.primary.address}`, `[SIP portal] RESOLVED proxy.up ${net.primary.address}`]);

    const log = await call(deliveriesRoute.GET, "GET", "/alerts/deliveries", { token: api.viewer });
    const flakyDown = log.body.find((d: { channel: string; event: string }) => d.channel.endsWith("/flaky") && d.event === "proxy.down");
    expect(flakyDown).toMatchObject({ status: "sent", attempts: 3, lastError: null, responseStatus: 204 });
    expect(log.body.every((d: { status: string }) => d.status === "sent")).toBe(true);
  });

  it("many device alerts of one kind go out as one summary; a removed channel gets nothing", async () => {
    await stopAlertSender();
    const sender = new AlertSender({ summaryOver: 10 });
    const db = await getDb();
    const before = hooks.got.length;
    const fake = Array.from({ length: 25 }, (_, i) => i);
    for (const i of fake) {
      await applySignal(
        db,
        { kind: "open", key: `device:${net.ids[0]}:drift-${i}`, event: "device.drifted", details: { keys: ["k"] } },
        { device: { id: net.ids[0], name: `phone-${i}`, address: "x:1", site: "berlin", tags: [], maintenance: false }, scope: [{ site: "berlin", tags: [] }], label: `phone-${i}` },
        { now: new Date(), batchWindowMs: 0 },
      );
    }
    await sender.start();
    await eventually("the summary", () => hooks.got.slice(before).filter((g) => g.body.event === "device.drifted").length, (n) => n >= 1);
    await sender.run();
    const got = hooks.got.slice(before).filter((g) => g.body.event === "device.drifted");
    expect(got).toHaveLength(1);
    expect(got[0].body).toMatchObject({ event: "device.drifted", state: "firing", incident: null, details: { summary: true, count: 25, more: 0 } });
    expect((got[0].body.details.devices as unknown[]).length).toBe(25);
    await sender.stop();

    const list = await call(webhooksRoute.GET, "GET", "/alerts/webhooks", { token: api.viewer });
    for (const c of list.body as { id: string }[]) expect((await call(webhookRoute.DELETE, "DELETE", `/alerts/webhooks/${c.id}`, { token: api.admin, params: { id: c.id } })).status).toBe(204);
    expect((await call(webhooksRoute.GET, "GET", "/alerts/webhooks", { token: api.viewer })).body).toEqual([]);
  });
});
