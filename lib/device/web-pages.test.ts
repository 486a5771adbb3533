// The web interface's answers parsed without a network: the config file, the status XML, the info page, refusals.
import { describe, expect, it } from "vitest";
import { parseInfoPage, parseModelFile, parseVoipStatus, rejectedFields, renderModelFile, resultStatus } from "./web-pages";

const ctx = { address: "192.0.2.10:80", operation: "GET /voip_status.cgi" };

describe("web interface pages", () => {
  it("reads a key=value file with comments, and refuses lines that are not key=value or repeat a key", () => {
    expect(parseModelFile(ctx, 200, "# dump\n\na/b=1\r\nc/d = x=y \n; note\n")).toEqual({ "a/b": "1", "c/d": "x=y" });
    expect(() => parseModelFile(ctx, 200, "a=1\nnonsense\n")).toThrow(/line 2 .*not key=value/);
    expect(() => parseModelFile(ctx, 200, "a=1\na=2\n")).toThrow(/repeats a/);
    expect(renderModelFile({ b: 2, a: "x" })).toBe("a=x\nb=2\n");
  });

  it("maps the status XML to the device status; an unknown SipStatus is malformed, not a guess", () => {
    const xml = (status: string, proxy = "redundant") =>
      `<?xml version="1.0"?><VoipStatus><Line><Index>0</Index><SipStatus>${status}</SipStatus><Proxy>${proxy}</Proxy><Registrar>10.0.0.6:5060</Registrar><Since>2026-01-01T00:00:00.000Z</Since><RegisteredAt/><ExpiresAt></ExpiresAt><LastError>a &amp; b</LastError></Line></VoipStatus>`;
    expect(parseVoipStatus(ctx, 200, xml("Registered"))).toMatchObject({
      state: "registered",
      proxy: "redundant",
      registrar: "10.0.0.6:5060",
      since: "2026-01-01T00:00:00.000Z",
      registeredAt: null,
      expiresAt: null,
      lastError: "a & b",
      transitions: [],
    });
    expect(parseVoipStatus(ctx, 200, xml("Failed", "")).proxy).toBeNull();
    // Times are served as ISO 8601; one the portal cannot read is not known rather than passed on.
    expect(parseVoipStatus(ctx, 200, xml("Registered").replace("2026-01-01T00:00:00.000Z", "2026-01-01 01:00:00+01:00")).since).toBe("2026-01-01T00:00:00.000Z");
    expect(parseVoipStatus(ctx, 200, xml("Registered").replace("2026-01-01T00:00:00.000Z", "since boot")).since).toBeNull();
    expect(() => parseVoipStatus(ctx, 200, xml("Sleeping"))).toThrow(/malformed|unexpected reply.*SipStatus/);
    expect(() => parseVoipStatus(ctx, 200, "<html></html>")).toThrow(/VoipStatus/);
  });

  it("reads the info table and the refusal list of a rejected upload", () => {
    const info = ["model", "firmware", "serial", "mac", "uptime"].map((id, i) => `<tr id="${id}"><th>x</th><td>${i === 4 ? 42 : `v&lt;${id}`}</td></tr>`).join("\n");
    expect(parseInfoPage(ctx, 200, `<table id="info">${info}</table>`)).toEqual({ model: "v<model", firmware: "v<firmware", serial: "v<serial", mac: "v<mac", uptimeS: 42 });
    expect(() => parseInfoPage(ctx, 200, "<p>nothing</p>")).toThrow(/lacks/);
    const page = `<p id="result" data-status="rejected">No</p><ul id="errors"><li data-field="voip/x">voip/x: must be 1..5</li><li data-field="line 3">line 3: expected key=value</li></ul>`;
    expect(resultStatus(page)).toBe("rejected");
    expect(rejectedFields(page)).toEqual({ "voip/x": "must be 1..5", "line 3": "expected key=value" });
  });
});
