import { describe, expect, it } from "vitest";
import { formatValue, paramLabel, rawValue } from "./format";

const SIP = "voip/signalling/sip";
describe("formatValue", () => {
  it("reads booleans as On/Off, enums by label, numbers with the catalog unit", () => {
    expect(formatValue(`${SIP}/redundant/use_redundant_proxy`, 1)).toBe("On");
    expect(formatValue(`${SIP}/redundant/use_redundant_proxy`, 0)).toBe("Off");
    expect(formatValue(`${SIP}/redundant/redundant_proxy_is_symmetric`, 1)).toBe("Symmetric (equal priority, stay on the current proxy)");
    expect(formatValue(`${SIP}/proxy_timeout`, 3600)).toBe("3600 s");
    expect(formatValue(`${SIP}/redundant/redundant_proxy_port`, 5070)).toBe("5070");
  });
  it("never shows a secret, and says when nothing is there", () => {
    expect(formatValue("voip/line/0/auth_password", "hunter2")).toBe("(set)");
    expect(formatValue("voip/line/0/auth_password", null)).toBe("(not set)");
    expect(formatValue(`${SIP}/proxy_timeout`, undefined)).toBe("—");
    expect(formatValue(`${SIP}/redundant/redundant_proxy_address`, "")).toBe("(empty)");
  });
  it("shows keys outside the catalog as plain text", () => {
    expect(formatValue("tags", ["lobby", "east"])).toBe("lobby, east");
    expect(formatValue("tags", [])).toBe("(none)");
    expect(formatValue("name", "Room 1")).toBe("Room 1");
    expect(formatValue("timeout", { code: "x" })).toBe('{"code":"x"}');
  });
  it("labels and raw forms", () => {
    expect(paramLabel(`${SIP}/redundant/use_redundant_proxy`)).toBe("Use redundant proxy");
    expect(paramLabel("site")).toBe("site");
    expect(rawValue(`${SIP}/redundant/use_redundant_proxy`, 1)).toBe(`${SIP}/redundant/use_redundant_proxy = 1`);
    expect(rawValue("name", "a")).toBe('name = "a"');
  });
});
