// Network-free checks of how answers and socket errors are classified (the emulator suite covers real HTTP).
import { describe, expect, it } from "vitest";
import { basicAuth } from "./auth";
import { classifyTransportError } from "./errors";
import { configReplySchema } from "./replies";
import { failureFor, parseReply, type RawReply } from "./reply";

const ctx = { address: "192.0.2.10:80", operation: "PATCH /api/v1/config" };
const reply = (status: number, body: unknown, headers: RawReply["headers"] = {}): RawReply => ({
  status,
  headers,
  text: typeof body === "string" ? body : JSON.stringify(body),
});

describe("transport errors", () => {
  it("finds the errno behind undici's wrappers and names it; timeouts say how long was waited", () => {
    const refused = classifyTransportError(new Error("fetch failed", { cause: Object.assign(new Error("x"), { code: "EHOSTUNREACH" }) }), ctx.address, 5000, false);
    expect(refused).toMatchObject({ code: "unreachable", retryable: true, message: "Device 192.0.2.10:80 is unreachable (no route to host)" });
    const headers = classifyTransportError(Object.assign(new Error("x"), { code: "UND_ERR_HEADERS_TIMEOUT" }), ctx.address, 5000, false);
    expect(headers).toMatchObject({ code: "timeout", retryable: true, message: "Device 192.0.2.10:80 did not answer within 5 s" });
    expect(classifyTransportError(new Error("aborted"), ctx.address, 1500, true).message).toContain("within 1.5 s");
  });
});

describe("device answers", () => {
  it("412 carries the revision from the body, else from the ETag", () => {
    expect(failureFor(ctx, reply(412, { error: "stale revision", revision: 9 }))).toMatchObject({ code: "conflict", revision: 9, retryable: true });
    expect(failureFor(ctx, reply(412, "", { etag: '"11"' }))).toMatchObject({ code: "conflict", revision: 11 });
  });

  it("422 keeps the per-key messages; a 422 without them is malformed; 5xx and stray codes are device errors", () => {
    const rejected = failureFor(ctx, reply(422, { errors: { "voip/a": "must be 1..65535" } }));
    expect(rejected).toMatchObject({ code: "rejected", retryable: false, fields: { "voip/a": "must be 1..65535" } });
    expect(rejected.message).toBe("Device 192.0.2.10:80 rejected a value and changed nothing — voip/a: must be 1..65535");
    expect(failureFor(ctx, reply(422, { oops: true })).code).toBe("malformed_reply");
    expect(failureFor(ctx, reply(503, { error: "busy" }))).toMatchObject({ code: "device_error", status: 503, message: "Device 192.0.2.10:80 answered HTTP 503 to PATCH /api/v1/config: busy" });
    expect(failureFor(ctx, reply(403, "")).code).toBe("unauthorized");
  });

  it("a 200 that is not JSON or lacks a member is malformed and says where", () => {
    expect(() => parseReply(ctx, reply(200, "<html>"), configReplySchema)).toThrow(/not JSON \(starts with "<html>"\)/);
    expect(() => parseReply(ctx, reply(200, { revision: 3 }), configReplySchema)).toThrow(/values: /);
    expect(parseReply(ctx, reply(200, { revision: 3, values: { a: 1 }, extra: true }), configReplySchema)).toEqual({ revision: 3, values: { a: 1 } });
  });
});

it("basicAuth encodes user:password and refuses a colon in the user", () => {
  expect(basicAuth("admin", "pä:ss").authorize({ method: "GET", path: "/" })).toBe(`Basic ${Buffer.from("admin:pä:ss").toString("base64")}`);
  expect(() => basicAuth("a:b", "x")).toThrow(/cannot contain ':'/);
});
