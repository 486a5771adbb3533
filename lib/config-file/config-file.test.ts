import { describe, expect, it } from "vitest";
import { defaultConfig, validatePatch } from "@/lib/params";
import { diffConfig, fieldErrorsToRows, parseCfg, SECRET_MASK, serializeCfg } from "./index";

const SIP = "voip/signalling/sip";
const PW = "voip/line/0/auth_password";
const RO = "voip/signalling/sip/redundant/is_redundant_proxy";
const SYM = "voip/signalling/sip/redundant/redundant_proxy_is_symmetric";

describe("serializeCfg", () => {
  it("writes sorted key=value lines after # header lines, masks a set secret and leaves read-only keys out", () => {
    const text = serializeCfg({ [`${SIP}/proxy_port`]: 5062, [`${SIP}/proxy_address`]: "pbx.example.com", [PW]: "hunter2", [RO]: 1 }, ["Backup of desk", "two\nlines"]);
    expect(text).toBe(`# Backup of desk\n# two lines\n${PW}=${SECRET_MASK}\n${SIP}/proxy_address=pbx.example.com\n${SIP}/proxy_port=5062\n`);
    expect(text).not.toContain("hunter2");
  });

  it("an empty secret stays empty (not set), a null one is written as the mask", () => {
    expect(serializeCfg({ [PW]: "" })).toBe(`${PW}=\n`);
    expect(serializeCfg({ [PW]: null })).toBe(`${PW}=${SECRET_MASK}\n`);
  });
});

describe("parseCfg", () => {
  it("round-trips a full default config with catalog types (numbers stay numbers, enums keep their option type)", () => {
    const defaults = defaultConfig();
    const parsed = parseCfg(serializeCfg(defaults));
    expect(parsed.errors).toEqual([]);
    const { [PW]: _pw, ...rest } = defaults;
    // The default password is empty, so it round-trips as "" rather than being skipped as masked.
    expect(parsed.values).toEqual({ ...rest, [PW]: "" });
    expect(typeof parsed.values[SYM]).toBe("number");
    expect(parsed.values["voip/signalling/protocol"]).toBe("sip");
  });

  it("skips comments (# and ;), blank lines, CRLF endings; trims keys and values", () => {
    const parsed = parseCfg(`# header\r\n\r\n; note\r\n  ${SIP}/proxy_port = 5070  \r\n`);
    expect(parsed).toEqual({ values: { [`${SIP}/proxy_port`]: 5070 }, lines: { [`${SIP}/proxy_port`]: 4 }, errors: [] });
  });

  it("malformed lines, unknown keys and duplicates are row errors with 1-based line numbers", () => {
    const parsed = parseCfg([`${SIP}/proxy_port=5070`, "just words", "=5", "no/such/key=1", `${SIP}/proxy_port=5080`].join("\n"));
    expect(parsed.errors).toEqual([
      { line: 2, message: "Expected key=value" },
      { line: 3, message: "Missing key before '='" },
      { line: 4, key: "no/such/key", message: 'Unknown parameter "no/such/key"' },
      { line: 5, key: `${SIP}/proxy_port`, message: "Duplicate key (first on line 1)" },
    ]);
    expect(parsed.values).toEqual({ [`${SIP}/proxy_port`]: 5070 });
  });

  it("a value may contain '='; a value that is not a whole number stays text so validation names it", () => {
    const parsed = parseCfg(`${SIP}/proxy_gateway=a=b\n${SIP}/proxy_port=50.5\n${SIP}/use_proxy=yes`);
    expect(parsed.values).toEqual({ [`${SIP}/proxy_gateway`]: "a=b", [`${SIP}/proxy_port`]: "50.5", [`${SIP}/use_proxy`]: "yes" });
    const r = validatePatch(defaultConfig(), { ...parsed.values, [`${SIP}/use_proxy`]: 1, [`${SIP}/proxy_address`]: "pbx" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fields[`${SIP}/proxy_port`]).toBe("Must be a whole number");
  });

  it("the read-only status key and a masked secret are skipped (keep), but their line is known", () => {
    const parsed = parseCfg(`${RO}=1\n${PW}=${SECRET_MASK}\n`);
    expect(parsed.values).toEqual({});
    expect(parsed.errors).toEqual([]);
    expect(parsed.lines).toEqual({ [RO]: 1, [PW]: 2 });
    expect(parseCfg(`${PW}=new-secret`).values).toEqual({ [PW]: "new-secret" });
  });
});

describe("fieldErrorsToRows and diffConfig", () => {
  it("maps validation fields to their lines, in line order; a key not in the file is line 0", () => {
    expect(fieldErrorsToRows({ b: "bad b", a: "bad a", c: "bad c" }, { a: 7, b: 3 })).toEqual([
      { line: 0, key: "c", message: "bad c" },
      { line: 3, key: "b", message: "bad b" },
      { line: 7, key: "a", message: "bad a" },
    ]);
  });

  it("lists only differing keys as {from, to}; a secret never shows either value", () => {
    const current = { ...defaultConfig(), [PW]: "old" };
    expect(diffConfig(current, { [`${SIP}/proxy_port`]: 5060, [`${SIP}/auth_retries`]: 6, [PW]: "new" })).toEqual({
      [`${SIP}/auth_retries`]: { from: 4, to: 6 },
      [PW]: { from: null, to: SECRET_MASK },
    });
  });
});
