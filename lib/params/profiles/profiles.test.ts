// The audiocodes-hd profile checked against reference/audiocodes-hd-family.md (the 310HD dump's table): expectations
// come from the reference text, never from the profile data.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CATALOG, checkParam, paramByKey } from "@/lib/params";
import { fromModelValue, fromModelValues, profileFor, toModelValue, toModelValues, unsupportedFields } from ".";

const SIP = "voip/signalling/sip/";
const text = readFileSync(path.resolve(__dirname, "../../../reference/audiocodes-hd-family.md"), "utf8");
const ticks = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

/** "…/x/y" continues the previous key: from x's position in it when present, else replacing its last segment. */
function expand(key: string, previous: string | undefined): string {
  if (!key.startsWith("…/")) return key;
  const rest = key.slice(2).split("/");
  const prev = previous!.split("/");
  const at = prev.indexOf(rest[0]);
  return [...prev.slice(0, at >= 0 ? at : prev.length - 1), ...rest].join("/");
}

interface Row { canonical: string; own: string; example?: string }
const rows: Row[] = [];
{
  let prevRef: string | undefined;
  let prevOwn: string | undefined;
  for (const line of text.split("\n")) {
    const cells = line.split("|").slice(1, -1).map((c) => c.trim());
    if (cells.length !== 3 || !cells[0].startsWith("`")) continue;
    const refs = ticks(cells[0]);
    const owns = /^same key/.test(cells[1]) ? refs : ticks(cells[1]);
    const examples = ticks(cells[2]);
    refs.forEach((r, i) => {
      const canonical = expand(r, prevRef);
      const own = expand(owns[i], prevOwn);
      rows.push({ canonical, own, example: examples.length === refs.length ? examples[i] : i === 0 ? examples[0] : undefined });
      prevRef = canonical;
      prevOwn = own;
    });
  }
}

/** `a/{b,c}` → a/b, a/c. */
const braces = (k: string): string[] => {
  const m = /^(.*)\{([^}]+)\}(.*)$/.exec(k);
  return m ? m[2].split(",").flatMap((part) => braces(m[1] + part + m[3])) : [k];
};

describe("audiocodes-hd profile (310HD tree) against the reference", () => {
  const hd = profileFor("audiocodes-hd");

  it("reads the reference's table", () => {
    expect(rows.length).toBeGreaterThanOrEqual(20);
  });

  it.each(rows)("$canonical ⇄ $own", ({ canonical, own, example }) => {
    expect(paramByKey(canonical), "a catalog key").toBeDefined();
    expect(hd.modelKey(canonical)).toBe(own);
    expect(hd.canonicalKey(own)).toBe(canonical);
    if (example === undefined) return;
    const value = fromModelValue(hd, canonical, example);
    expect(value, `the dump's ${example}`).toBeDefined();
    expect(checkParam(paramByKey(canonical)!, value, "api").ok === true || example === "0.0.0.0", `${example} → ${value} valid`).toBe(true);
    expect(String(toModelValue(hd, canonical, value!))).toBe(example);
  });

  it("keeps the keys the dump spells the same", () => {
    const para = /Same key in both trees[^:]*:([\s\S]*?)\n(?:Not in the dump)/.exec(text)![1];
    const keys = ticks(para).filter((k) => !k.endsWith("/")).flatMap(braces).map((k) => (k.startsWith("voip/") ? k : SIP + k));
    expect(keys.length).toBeGreaterThan(25);
    for (const k of keys) expect(hd.modelKey(k), k).toBe(k);
  });

  it("lacks what the dump does not have, and the API refuses it by name", () => {
    const lacking = [`voip/signalling/protocol`, `${SIP}tls_port`, `${SIP}stun/enabled`, `voip/line/0/snd_callerid`, `${SIP}redundant/is_redundant_proxy`];
    for (const k of lacking) expect(hd.supports(k), k).toBe(false);
    expect(unsupportedFields(hd, { [`${SIP}tls_port`]: 5061, [`${SIP}proxy_port`]: 5060 })).toEqual({
      [`${SIP}tls_port`]: "Not supported by this model (AudioCodes 3xxHD/4xxHD key tree)",
    });
    expect(toModelValues(hd, { [`${SIP}tls_port`]: 5061 })).toEqual({});
  });

  it("round-trips a whole catalog default config; unknown keys stay apart", () => {
    const canonical = Object.fromEntries(CATALOG.filter((p) => hd.supports(p.key)).map((p) => [p.key, p.default]));
    const own = toModelValues(hd, canonical);
    expect(own["voip/media/media_tos"]).toBe(184);
    expect(own[`${SIP}transport_protocol`]).toBe("UDP");
    const back = fromModelValues(hd, { ...own, "provisioning/method": "STATIC" });
    expect(back.values).toEqual(canonical);
    expect(back.other).toEqual({ "provisioning/method": "STATIC" });
  });
});

describe("mt505 profile", () => {
  it("is the reference tree as it is", () => {
    const mt = profileFor("mt505");
    for (const p of CATALOG) expect(mt.modelKey(p.key)).toBe(p.key);
    expect(toModelValue(mt, "voip/media_tos", "0xb8")).toBe("0xb8");
    expect(unsupportedFields(mt, { [`${SIP}tls_port`]: 5061 })).toEqual({});
  });
});
