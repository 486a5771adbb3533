import { describe, expect, it } from "vitest";
import { deviceInputSchema } from "@/lib/inventory/device-input";
import { hostError } from "./host";

// One host rule: the catalog's address parameters and a device's own address give the same verdict.
describe("the one host/IPv4 rule", () => {
  it.each([
    ["pbx.example.com", null],
    ["192.0.2.10", null],
    ["1.2.3", "Not a valid IPv4 address"],
    ["01.2.3.4", "Not a valid IPv4 address"],
    ["256.1.1.1", "Not a valid IPv4 address"],
    ["0.0.0.0", "0.0.0.0 means “not set”; enter a usable address"],
    ["-pbx", "Must be an IPv4 address or host name"],
    ["a".repeat(254), "A host name has at most 253 characters"],
  ])("%j → %s, for a parameter and for a device address", (host, expected) => {
    expect(hostError(host)).toBe(expected);
    const device = deviceInputSchema.safeParse({ name: "d", address: `${host}:80` });
    expect(device.success).toBe(expected === null);
  });
});
