import { describe, expect, it } from "vitest";
import { CATALOG, SECTIONS, paramByKey, type ParamDef } from "./catalog";
import { REFERENCE, REF_BY_KEY } from "@/tests/support/reference";

const catalog = CATALOG as readonly ParamDef[];

describe("catalog vs reference/mt505-sip-parameters.json", () => {
  it("has exactly the reference's keys, each once", () => {
    const keys = catalog.map((p) => p.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(REFERENCE.map((p) => p.key).sort());
  });

  it.each(REFERENCE.map((r) => [r.key, r] as const))("%s matches the reference", (key, ref) => {
    const p = paramByKey(key);
    expect(p, `missing ${key}`).toBeDefined();
    expect({
      label: p!.label,
      section: p!.section,
      type: p!.type,
      min: p!.min,
      max: p!.max,
      maxLength: p!.maxLength,
      default: p!.default,
      options: p!.options,
      unit: p!.unit,
      appliesWhen: p!.appliesWhen,
      readOnly: p!.readOnly ?? false,
      secret: p!.secret ?? false,
    }).toEqual({
      label: ref.label,
      section: ref.section,
      type: ref.type,
      min: ref.min,
      max: ref.max,
      maxLength: ref.maxLength,
      default: ref.default,
      options: ref.options,
      unit: ref.unit,
      appliesWhen: ref.appliesWhen,
      readOnly: ref.readOnly ?? false,
      secret: ref.type === "password",
    });
  });

  it("gives every parameter its own help text (not the reference notes)", () => {
    for (const p of catalog) {
      expect(p.help.trim().length, p.key).toBeGreaterThan(10);
      expect(p.help, p.key).not.toBe(REF_BY_KEY.get(p.key)?.notes);
    }
  });

  it("places every parameter in a known section, with sections unique and titled", () => {
    const ids = SECTIONS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice(0, 4)).toEqual(["proxy", "registrar", "outbound_proxy", "redundant_proxy"]);
    for (const s of SECTIONS) expect(s.title).not.toBe("");
    for (const ref of REFERENCE) expect(ids, ref.key).toContain(ref.section);
  });

  it("keeps keys usable as react-hook-form field names (no dots or brackets)", () => {
    for (const p of catalog) expect(p.key, p.key).not.toMatch(/[.[\]]/);
  });

  it("lists a switch before the fields it enables, within the same section", () => {
    catalog.forEach((p, i) => {
      if (!p.appliesWhen) return;
      const ci = catalog.findIndex((c) => c.key === p.appliesWhen!.key);
      expect(ci, p.key).toBeGreaterThanOrEqual(0);
      expect(ci, p.key).toBeLessThan(i);
      expect(catalog[ci].section, p.key).toBe(p.section);
    });
  });
});
