// Programmatic entry point (tests, demo script, CLI): phones + optional control surface.
import type { CreateSipPhone } from "../sip/phone-contract";
import { startControlServer, type Proxies } from "../control/server";
import { startPhones, type Fleet, type FleetOptions } from "./fleet";
import { createInertPhone } from "./inert-phone";
import { mixTotal } from "./mix";
import { createSipPhone } from "../sip/phone";

export type { Fleet, FleetOptions, ManifestEntry } from "./fleet";
export type { Device, DeviceApiKind, FaultMode } from "./device";
export type { PhoneGroup, PhoneKind } from "./mix";
export { parseMix } from "./mix";
export type { Proxies, ProxyControl } from "../control/server";

export const FLEET_DEFAULTS = {
  devices: 1,
  firstIp: "127.30.0.1",
  httpPort: 8080,
  username: "admin",
  password: "admin",
  sipUserBase: 1001,
  sipPassword: "",
} as const;

export interface EmulatorOptions extends Partial<Omit<FleetOptions, "createPhone">> {
  /** The SIP user agent; defaults to the real one. */
  createPhone?: CreateSipPhone;
  /** false: phones without SIP (HTTP API only). */
  sip?: boolean;
  /** Port of the control surface; omitted → no control surface. 0 → any free port. */
  controlPort?: number;
  controlHost?: string;
  /** Demo registrars the control surface may stop/start; the caller owns (starts and stops) them. */
  proxies?: Proxies;
}

export interface Emulator extends Fleet {
  /** "host:port" of the control surface, or null. */
  readonly controlAddress: string | null;
}

export async function startFleet(options: EmulatorOptions = {}): Promise<Emulator> {
  const createPhone = options.sip === false ? createInertPhone : (options.createPhone ?? createSipPhone);
  const devices = options.devices ?? (options.mix ? mixTotal(options.mix) : FLEET_DEFAULTS.devices);
  const fleet = await startPhones({ ...FLEET_DEFAULTS, ...options, devices, createPhone });
  let control: Awaited<ReturnType<typeof startControlServer>> | null = null;
  if (options.controlPort !== undefined) {
    try {
      control = await startControlServer(fleet, options.proxies ?? {}, options.controlHost ?? "127.0.0.1", options.controlPort);
    } catch (error) {
      await fleet.stop();
      throw new Error(`cannot start the control surface on port ${options.controlPort}: ${(error as Error).message}`);
    }
  }
  return {
    options: fleet.options,
    get devices() {
      return fleet.devices;
    },
    get: fleet.get,
    add: fleet.add,
    remove: fleet.remove,
    manifest: fleet.manifest,
    controlAddress: control?.address ?? null,
    async stop() {
      await control?.close();
      await fleet.stop();
    },
  };
}
