import { describe, expect, it } from "vitest";
import { groupDue, jobSignal, openingEvent, proxySignal, retryDelayMs, statusSignals, unreachableSignals } from "./decide";
import { channelMatches, webhookInputSchema } from "./model";
import { signature } from "./senders";

const kinds = (s: { kind: string; key: string; event: string }[]) => s.map((x) => `${x.kind} ${x.key} ${x.event}`);

describe("statusSignals", () => {
  it("failover opens, failback resolves, and registering resolves unregistered and unreachable", () => {
    expect(kinds(statusSignals("d", { state: "registered", proxy: "primary" }, { state: "registered", proxy: "redundant" }, "primary stopped answering"))).toEqual([
      "resolve device:d:unregistered device.unregistered",
      "open device:d:failover device.failed_over",
      "resolve device:d:unreachable device.unreachable",
    ]);
    expect(kinds(statusSignals("d", { state: "registered", proxy: "redundant" }, { state: "registered", proxy: "primary" }, null))).toContain("resolve device:d:failover device.failed_back");
  });
  it("unregistered and failed open an incident; unreachable is left to the timer", () => {
    expect(kinds(statusSignals("d", null, { state: "failed", proxy: null }, null))).toEqual(["open device:d:unregistered device.unregistered", "resolve device:d:unreachable device.unreachable"]);
    expect(statusSignals("d", { state: "registered", proxy: "primary" }, { state: "unreachable", proxy: null }, null)).toEqual([]);
    expect(statusSignals("d", null, { state: "registering", proxy: null }, null).map((s) => s.kind)).toEqual(["resolve"]);
  });
  it("times unreachable phones", () => {
    const since = new Date("2026-12-01T20:00:00Z");
    const away = new Map([["a", since]]);
    expect(unreachableSignals(away, new Date("2026-12-01T20:04:59Z"), 300_000)).toEqual([]);
    expect(kinds(unreachableSignals(away, new Date("2026-12-01T20:05:00Z"), 300_000))).toEqual(["open device:a:unreachable device.unreachable"]);
  });
  it("proxy and job signals, and each key's opening event", () => {
    expect(proxySignal("p:5060", false, "no answer")).toEqual({ kind: "open", key: "proxy:p:5060", event: "proxy.down", details: { reason: "no answer" } });
    expect(proxySignal("p:5060", true, null).kind).toBe("resolve");
    expect(jobSignal("j", { failed: 0, applied: 3 })).toBeNull();
    expect(jobSignal("j", { failed: 2 })?.event).toBe("job.finished_with_failures");
    expect(openingEvent("proxy:p:5060")).toBe("proxy.down");
    expect(openingEvent("device:x:failover")).toBe("device.failed_over");
    expect(openingEvent("device:x:drift")).toBe("device.drifted");
  });
});

describe("channel rules", () => {
  const scope = [{ site: "berlin", tags: ["lobby"] }];
  it("matches events (opening event too), site and tag", () => {
    expect(channelMatches({ events: [], site: null, tag: null }, ["proxy.up", "proxy.down"], [])).toBe(true);
    expect(channelMatches({ events: ["proxy.down"], site: null, tag: null }, ["proxy.up", "proxy.down"], [])).toBe(true);
    expect(channelMatches({ events: ["device.failed_over"], site: null, tag: null }, ["proxy.up", "proxy.down"], [])).toBe(false);
    expect(channelMatches({ events: [], site: "berlin", tag: null }, ["device.failed_over"], scope)).toBe(true);
    expect(channelMatches({ events: [], site: "paris", tag: null }, ["device.failed_over"], scope)).toBe(false);
    expect(channelMatches({ events: [], site: "berlin", tag: "desk" }, ["device.failed_over"], scope)).toBe(false);
    expect(channelMatches({ events: [], site: null, tag: "lobby" }, ["device.failed_over"], scope)).toBe(true);
    expect(channelMatches({ events: [], site: "berlin", tag: null }, ["job.finished_with_failures"], [])).toBe(false);
  });
  it("validates webhook input", () => {
    const r = webhookInputSchema.safeParse({ url: "ftp://x", secret: "short", events: ["nope"] });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join("."))).toEqual(["url", "secret", "events.0"]);
    expect(webhookInputSchema.parse({ url: "http://127.0.0.1:9/hook", site: " " })).toEqual({ url: "http://127.0.0.1:9/hook", events: [], site: null, tag: null });
  });
});

describe("delivery grouping and backoff", () => {
  const d = (id: number, channelId: string, event: "device.failed_over" | "proxy.down", phase: "firing" | "resolved" = "firing") => ({ id, channelId, event, phase });
  it("folds more than N device alerts of one kind per channel into a summary; proxy alerts always go alone", () => {
    const due = [...Array.from({ length: 5 }, (_, i) => d(i, "a", "device.failed_over")), d(10, "b", "device.failed_over"), d(11, "a", "proxy.down"), d(12, "a", "proxy.down")];
    const { single, summaries } = groupDue(due, 3);
    expect(summaries.map((g) => g.map((x) => x.id))).toEqual([[0, 1, 2, 3, 4]]);
    expect(single.map((x) => x.id)).toEqual([10, 11, 12]);
  });
  it("backs off 2 s, 4 s … up to 5 min", () => {
    expect([1, 2, 3, 10, 30].map(retryDelayMs)).toEqual([2_000, 4_000, 8_000, 300_000, 300_000]);
  });
  it("signs with HMAC-SHA256 over the body", () => {
    // Reference value: printf '%s' '{"a":1}' | openssl dgst -sha256 -hmac secret-key
    expect(signature("secret-key", '{"a":1}')).toBe("sha256=b55a81137d0df4a3c2585b246e9dbc7e957811e4fd6613fdab592f15687ec523");
  });
});
