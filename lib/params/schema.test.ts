import { describe, expect, it } from "vitest";
import {
  applicableValues,
  checkPatchValues,
  defaultConfig,
  diffValues,
  formSchema,
  maskSecrets,
  sectionSchema,
  toFormValues,
  validateConfig,
  validatePatch,
  type ConfigValues,
  type FormValues,
} from "./schema";
import { REFERENCE, REF_BY_KEY, REF_EDITABLE, controllerValues, refBaseline, refFormValue, type RefParam } from "@/tests/support/reference";

const KEY = {
  useRedundant: "voip/signalling/sip/redundant/use_redundant_proxy",
  redundantPort: "voip/signalling/sip/redundant/redundant_proxy_port",
  redundantAddress: "voip/signalling/sip/redundant/redundant_proxy_address",
  useProxy: "voip/signalling/sip/use_proxy",
  proxyAddress: "voip/signalling/sip/proxy_address",
  proxyPort: "voip/signalling/sip/proxy_port",
  password: "voip/line/0/auth_password",
  status: "voip/signalling/sip/redundant/is_redundant_proxy",
  displayName: "voip/line/0/description",
  tos: "voip/media_tos",
} as const;

/** Baseline with `p` switched on (when it has a switch), in device representation. */
function baselineFor(p: RefParam): ConfigValues {
  const base = refBaseline();
  if (p.appliesWhen) base[p.appliesWhen.key] = controllerValues(p).on;
  return base;
}

function formOf(values: ConfigValues): FormValues {
  return Object.fromEntries(REF_EDITABLE.map((p) => [p.key, p.type === "password" ? "" : refFormValue(p, values[p.key])]));
}

/** Runs one value through the API (patch and whole config) and the form; returns each path's error or null. */
function errorsFor(p: RefParam, apiValue: unknown, formValue: string | boolean) {
  const base = baselineFor(p);
  const patch: Record<string, unknown> = { [p.key]: apiValue };
  if (p.appliesWhen) patch[p.appliesWhen.key] = controllerValues(p).on;
  const viaPatch = validatePatch(refBaseline(), patch);
  const viaConfig = validateConfig({ ...base, [p.key]: apiValue });
  const viaForm = formSchema.safeParse({ ...formOf(base), [p.key]: formValue });
  const formIssue = viaForm.success ? undefined : viaForm.error.issues.find((i) => i.path[0] === p.key);
  return {
    patch: viaPatch.ok ? null : (viaPatch.fields[p.key] ?? `other: ${JSON.stringify(viaPatch.fields)}`),
    config: viaConfig.ok ? null : (viaConfig.fields[p.key] ?? `other: ${JSON.stringify(viaConfig.fields)}`),
    form: viaForm.success ? null : (formIssue?.message ?? `other: ${JSON.stringify(viaForm.error.issues)}`),
  };
}

const RANGED = REFERENCE.filter((p) => p.min !== undefined && p.max !== undefined && !p.readOnly);
const RANGE_CASES = RANGED.flatMap((p) =>
  [p.min! - 1, p.min!, p.max!, p.max! + 1].map((v) => [p.key, v, p.min! <= v && v <= p.max!, p] as const),
);

describe("ranges (every ranged parameter, API and form)", () => {
  it("covers every numeric parameter (each has a range)", () => {
    expect(RANGED.length).toBe(REFERENCE.filter((p) => (p.type === "integer" || p.type === "port") && !p.readOnly).length);
  });

  it.each(RANGE_CASES)("%s = %d → valid: %s", (_key, v, valid, p) => {
    const errors = errorsFor(p, v, String(v));
    if (valid) {
      expect(errors).toEqual({ patch: null, config: null, form: null });
    } else {
      const expected = new RegExp(`^Must be between ${p.min} and ${p.max}\\b`);
      expect(errors.patch).toMatch(expected);
      expect(errors.config).toMatch(expected);
      expect(errors.form).toMatch(expected);
    }
  });

  it("names the unit in range messages", () => {
    const p = REF_BY_KEY.get("voip/signalling/sip/redundant/redundant_proxy_ka_period")!;
    expect(errorsFor(p, 301, "301").form).toBe("Must be between 0 and 300 seconds");
  });
});

/** A valid string of exactly n characters for the parameter (hex byte for the TOS field). */
function stringOfLength(p: RefParam, n: number): string {
  if (p.key === KEY.tos) return "0x" + "f".repeat(n - 2);
  return "a".repeat(n);
}

const LENGTH_CASES = REFERENCE.filter((p) => p.maxLength !== undefined).flatMap((p) => [
  [p.key, p.maxLength!, true, p] as const,
  [p.key, p.maxLength! + 1, false, p] as const,
]);

describe("string lengths (API and form)", () => {
  it.each(LENGTH_CASES)("%s with %d characters → valid: %s", (_key, n, valid, p) => {
    const s = stringOfLength(p, n);
    const errors = errorsFor(p, s, s);
    if (valid) expect(errors).toEqual({ patch: null, config: null, form: null });
    else expect(errors).toEqual({ patch: `At most ${p.maxLength} characters`, config: `At most ${p.maxLength} characters`, form: `At most ${p.maxLength} characters` });
  });
});

const INTEGER_PARAMS = REFERENCE.filter((p) => (p.type === "integer" || p.type === "port") && !p.readOnly);
const BAD_INTEGER_STRINGS = ["60.5", "1e3", "abc", "0x10", "+60", "6 0"];

describe("whole numbers are parsed strictly", () => {
  it.each(INTEGER_PARAMS.flatMap((p) => BAD_INTEGER_STRINGS.map((s) => [p.key, s, p] as const)))(
    "form %s = %j → Must be a whole number",
    (_key, s, p) => {
      expect(errorsFor(p, 0, s).form).toBe("Must be a whole number");
    },
  );

  it.each(INTEGER_PARAMS.flatMap((p) => [" 60", "60 ", "\t60"].map((s) => [p.key, s, p] as const)))("form %s = %j: surrounding blanks are trimmed", (_key, s, p) => {
    const inRange = p.min! <= 60 && 60 <= p.max!;
    expect(errorsFor(p, 0, s).form).toBe(inRange ? null : errorsFor(p, 0, "60").form);
  });

  it.each(INTEGER_PARAMS.map((p) => [p.key, p] as const))("form %s = '' → Required", (_key, p) => {
    expect(errorsFor(p, 0, "").form).toBe("Required");
  });

  it.each(INTEGER_PARAMS.flatMap((p) => [String(p.default), (p.default as number) + 0.5, null, true].map((v) => [p.key, v, p] as const)))(
    "API %s = %j is rejected (JSON whole numbers only)",
    (_key, v, p) => {
      const errors = errorsFor(p, v, String(p.default));
      expect(errors.patch).toMatch(/^(Must be a whole number|Required)$/);
      expect(errors.config).toMatch(/^(Must be a whole number|Required)$/);
    },
  );
});

/** A value the parameter must reject when it applies. */
function invalidValue(p: RefParam): { api: unknown; form: string | boolean } {
  switch (p.type) {
    case "integer":
    case "port":
      return { api: p.max! + 1, form: "abc" };
    case "ip_or_host":
      return { api: "not a host!", form: "not a host!" };
    case "enum":
      return { api: "no-such-option", form: "no-such-option" };
    default:
      return { api: "x".repeat((p.maxLength ?? 10) + 1), form: "x".repeat((p.maxLength ?? 10) + 1) };
  }
}

/** A valid value for the parameter that differs from its reference default. */
function validValue(p: RefParam): string | number {
  switch (p.type) {
    case "integer":
    case "port":
      return p.max!;
    case "ip_or_host":
      return "pbx.example.org";
    case "enum":
      return p.options!.find((o) => o.value !== p.default)!.value;
    default:
      return "255.255.255.0";
  }
}

const GATED = REFERENCE.filter((p) => p.appliesWhen);

describe("applicability (every appliesWhen rule): nothing given is dropped", () => {
  it.each(GATED.map((p) => [p.key, p] as const))("%s is checked, kept and reported changed even while its switch is off", (_key, p) => {
    const { on, off } = controllerValues(p);
    const controller = REF_BY_KEY.get(p.appliesWhen!.key)!;
    const bad = invalidValue(p);
    const base = refBaseline();
    const offBase = { ...base, [controller.key]: off };

    // Off: a bad value is still refused (type, range, length) on that field, by the patch and a whole config.
    const offBad = validatePatch(offBase, { [p.key]: bad.api });
    expect(offBad.ok).toBe(false);
    expect(!offBad.ok && offBad.fields[p.key]).toBeTruthy();
    const offBadConfig = validateConfig({ ...offBase, [p.key]: bad.api });
    expect(!offBadConfig.ok && offBadConfig.fields[p.key]).toBeTruthy();
    // Off: a good value is stored and reported as changed (it is sent, and takes effect when the switch is on).
    const good = validValue(p);
    expect(validatePatch(offBase, { [p.key]: good })).toMatchObject({ ok: true, changed: { [p.key]: good }, values: { [p.key]: good } });
    // The form shows no field for it (nothing to type), so it validates and sends only what applies.
    const offForm = formOf(offBase);
    expect(formSchema.safeParse({ ...offForm, [p.key]: bad.form }).success).toBe(true);
    expect(applicableValues(offBase)).not.toHaveProperty(p.key);

    // On: the same bad value is an error on that field, on every path.
    const onPatch = validatePatch(offBase, { [controller.key]: on, [p.key]: bad.api });
    expect(onPatch.ok).toBe(false);
    expect(!onPatch.ok && onPatch.fields[p.key]).toBeTruthy();
    const onConfig = validateConfig({ ...base, [controller.key]: on, [p.key]: bad.api });
    expect(!onConfig.ok && onConfig.fields[p.key]).toBeTruthy();
    const onForm = formSchema.safeParse({ ...offForm, [controller.key]: refFormValue(controller, on), [p.key]: bad.form });
    expect(onForm.success).toBe(false);
    expect(onForm.error?.issues.map((i) => i.path[0])).toContain(p.key);
    expect(applicableValues({ ...base, [controller.key]: on })).toHaveProperty(p.key);
  });

  it("an address may stay unset (\"\" or 0.0.0.0) while it does not apply; switching it on without one is refused", () => {
    const off = { ...defaultConfig(), [KEY.useProxy]: 0, [KEY.useRedundant]: 0 };
    expect(validatePatch(off, { [KEY.proxyAddress]: "", [KEY.redundantAddress]: "0.0.0.0" }).ok).toBe(true);
    expect(validatePatch(off, { [KEY.useRedundant]: 1 })).toEqual({ ok: false, fields: { [KEY.redundantAddress]: "0.0.0.0 means “not set”; enter a usable address" } });
    expect(validatePatch(off, { [KEY.useProxy]: 1 })).toEqual({ ok: false, fields: { [KEY.proxyAddress]: "Required" } });
  });
});

describe("addresses", () => {
  const proxy = REF_BY_KEY.get(KEY.proxyAddress)!;
  const redundant = REF_BY_KEY.get(KEY.redundantAddress)!;
  it.each([
    ["pbx.example.com", null],
    ["192.0.2.10", null],
    ["a-1.b", null],
    ["", "Required"],
    ["256.1.1.1", "Not a valid IPv4 address"],
    ["1.2.3", "Not a valid IPv4 address"],
    ["-pbx.example.com", "Must be an IPv4 address or host name"],
    ["pbx..example.com", "Must be an IPv4 address or host name"],
    ["pbx example", "Must be an IPv4 address or host name"],
    ["pbx.example.com.", "Must be an IPv4 address or host name"],
    ["0.0.0.0", "0.0.0.0 means “not set”; enter a usable address"],
  ])("Proxy address %j → %s", (value, expected) => {
    expect(errorsFor(proxy, value, value)).toEqual({ patch: expected, config: expected, form: expected });
  });

  it("refuses an applicable 0.0.0.0 also where it is the factory value (redundant proxy): it means unset", () => {
    const expected = "0.0.0.0 means “not set”; enter a usable address";
    expect(errorsFor(redundant, "0.0.0.0", "0.0.0.0")).toEqual({ patch: expected, config: expected, form: expected });
  });

  it("the form trims surrounding blanks of an address; the API refuses them", () => {
    expect(errorsFor(proxy, " pbx.example.com ", " pbx.example.com ")).toEqual({
      patch: "Must be an IPv4 address or host name",
      config: "Must be an IPv4 address or host name",
      form: null,
    });
  });

  it("rejects line breaks in text values", () => {
    const p = REF_BY_KEY.get(KEY.displayName)!;
    expect(errorsFor(p, "a\nb", "a\nb").patch).toBe("Must not contain line breaks or control characters");
  });
});

describe("validatePatch", () => {
  const current = { ...defaultConfig(), [KEY.useRedundant]: 1, [KEY.password]: "s3cret" };

  it("merges the patch and reports only real changes", () => {
    const r = validatePatch(current, { [KEY.redundantPort]: 5070, [KEY.useRedundant]: 1 });
    expect(r).toEqual({ ok: true, values: { ...current, [KEY.redundantPort]: 5070 }, changed: { [KEY.redundantPort]: 5070 } });
  });

  it("checks cross-field rules on the merged result", () => {
    const r = validatePatch(defaultConfig(), { [KEY.useProxy]: 1 });
    expect(r).toEqual({ ok: false, fields: { [KEY.proxyAddress]: "Required" } });
    const fixed = validatePatch(defaultConfig(), { [KEY.useProxy]: 1, [KEY.proxyAddress]: "pbx.example.com" });
    expect(fixed).toMatchObject({ ok: true, changed: { [KEY.useProxy]: 1, [KEY.proxyAddress]: "pbx.example.com" } });
  });

  it("keeps values for parameters that do not apply (checked, stored, reported changed); refuses them out of range", () => {
    const r = validatePatch(defaultConfig(), { [KEY.proxyPort]: 6000 });
    expect(r).toEqual({ ok: true, values: { ...defaultConfig(), [KEY.proxyPort]: 6000 }, changed: { [KEY.proxyPort]: 6000 } });
    expect(validatePatch(defaultConfig(), { [KEY.proxyPort]: 0 })).toEqual({ ok: false, fields: { [KEY.proxyPort]: "Must be between 1024 and 65535" } });
  });

  it("keeps a secret that is null or absent, changes it when given", () => {
    expect(validatePatch(current, { [KEY.password]: null })).toEqual({ ok: true, values: current, changed: {} });
    expect(validatePatch(current, {})).toEqual({ ok: true, values: current, changed: {} });
    expect(validatePatch(current, { [KEY.password]: "n3w" })).toMatchObject({ ok: true, changed: { [KEY.password]: "n3w" } });
  });

  it("rejects unknown keys, the read-only status and non-objects", () => {
    expect(validatePatch(current, { "voip/nope": 1 })).toEqual({ ok: false, fields: { "voip/nope": "Unknown parameter" } });
    expect(validatePatch(current, { [KEY.status]: 1 })).toMatchObject({ ok: false, fields: { [KEY.status]: expect.any(String) } });
    expect(validatePatch(current, [1])).toMatchObject({ ok: false });
    expect(validatePatch(current, null)).toMatchObject({ ok: false });
  });

  it("stores nothing when any value fails (all errors reported at once)", () => {
    const r = validatePatch(current, { [KEY.redundantPort]: 80, [KEY.displayName]: 5 });
    expect(r).toEqual({ ok: false, fields: { [KEY.redundantPort]: "Must be between 1024 and 65535", [KEY.displayName]: "Must be text" } });
  });
});

describe("defaults, secrets, sections", () => {
  it("diffValues: what the form changed, never a key the config does not have (a parameter the model lacks)", () => {
    const { [KEY.displayName]: _lacking, ...held } = defaultConfig();
    const form = { ...defaultConfig(), [KEY.proxyPort]: 5070 };
    expect(diffValues(held, form)).toEqual({ [KEY.proxyPort]: 5070 });
  });

  it("defaultConfig equals the reference defaults of every editable parameter", () => {
    expect(defaultConfig()).toEqual(Object.fromEntries(REF_EDITABLE.map((p) => [p.key, p.default])));
  });

  it("defaults validate through the API and the form", () => {
    expect(validateConfig(defaultConfig())).toEqual({ ok: true, values: defaultConfig() });
    const parsed = formSchema.safeParse(toFormValues(maskSecrets(defaultConfig())));
    expect(parsed.success).toBe(true);
  });

  it("validateConfig rejects unknown keys and requires applicable ones", () => {
    const { [KEY.displayName]: _omitted, ...rest } = defaultConfig();
    expect(validateConfig({ ...rest, "voip/nope": 1 })).toEqual({
      ok: false,
      fields: { "voip/nope": "Unknown parameter", [KEY.displayName]: "Required" },
    });
  });

  it("masks every secret and never sends the read-only status", () => {
    const masked = maskSecrets({ ...defaultConfig(), [KEY.password]: "s3cret" });
    for (const p of REFERENCE.filter((r) => r.type === "password")) expect(masked[p.key]).toBeNull();
    expect(applicableValues({ ...defaultConfig(), [KEY.status]: 1 })).not.toHaveProperty(KEY.status);
  });

  it("an empty password in the form means unchanged; a typed one is sent", () => {
    const form = toFormValues(maskSecrets({ ...defaultConfig(), [KEY.password]: "s3cret" }));
    expect(form[KEY.password]).toBe("");
    expect(formSchema.parse(form)).not.toHaveProperty(KEY.password);
    expect(formSchema.parse({ ...form, [KEY.password]: "n3w" })).toHaveProperty(KEY.password, "n3w");
  });

  it("sectionSchema validates only its own section", () => {
    const form = { ...toFormValues(defaultConfig()), [KEY.useRedundant]: true, [KEY.redundantPort]: "1" };
    expect(sectionSchema("redundant_proxy").safeParse(form).success).toBe(false);
    const proxy = sectionSchema("proxy").safeParse(form);
    expect(proxy.success && Object.keys(proxy.data).every((k) => REF_BY_KEY.get(k)?.section === "proxy")).toBe(true);
  });
});

describe("checkPatchValues with the device's model", () => {
  const SIP = "voip/signalling/sip/";
  it("refuses a parameter the model lacks by name, checks the rest as usual, and knows nothing of models without one", () => {
    const patch = { [`${SIP}stun/enabled`]: 1, [`${SIP}proxy_port`]: 70000, [`${SIP}redundant/redundant_proxy_port`]: 5070 };
    const r = checkPatchValues(patch, "audiocodes-hd");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fields[`${SIP}stun/enabled`]).toBe("Not supported by this model (AudioCodes 3xxHD/4xxHD key tree)");
    expect(r.fields[`${SIP}proxy_port`]).toMatch(/1024/);
    expect(r.fields).not.toHaveProperty(`${SIP}redundant/redundant_proxy_port`);
    expect(checkPatchValues({ [`${SIP}stun/enabled`]: 1 }, "mt505")).toEqual({ ok: true });
    expect(checkPatchValues({ [`${SIP}stun/enabled`]: 1 })).toEqual({ ok: true });
  });
});
