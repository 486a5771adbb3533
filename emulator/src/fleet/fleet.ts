// The fleet: N phones in one process, each on its own loopback address, sharing one device-API app.
import { writeFile, rename } from "node:fs/promises";
import type { ConfigValues, CreateSipPhone } from "../sip/phone-contract";
import { applyChange } from "../config/validate";
import type http from "node:http";
import { deviceRequestListener } from "../http/app";
import { webRequestListener } from "../http/web";
import type { DeviceAuth } from "../http/auth";
import { PROFILES, type KeyProfile, type KeyProfileName } from "../profiles/index";
import { StateStore } from "../state/store";
import { Device, type DeviceApiKind, type DeviceIdentity } from "./device";
import { ipToInt, nthIp, parseHostPort } from "./ip";
import { phoneKind, type PhoneGroup, type PhoneKind } from "./mix";

export interface FleetOptions {
  devices: number;
  firstIp: string;
  httpPort: number;
  /** Primary proxy/registrar "host:port" written into every new phone's config. */
  proxy?: string;
  /** Redundant proxy "host:port"; also turns use_redundant_proxy on. */
  redundantProxy?: string;
  username: string;
  password: string;
  sipUserBase: number;
  sipPassword: string;
  /** sip_t1 in ms for new phones (shorter = faster failover in tests). */
  t1?: number;
  /** redundant_proxy_ka_period in s for new phones. */
  kaPeriod?: number;
  stateDir?: string;
  manifest?: string;
  createPhone: CreateSipPhone;
  auth?: DeviceAuth;
  /** How long a rebooting phone stays away, ms. */
  rebootMs?: number;
  /** Key tree of every phone outside `mix` (mt505). */
  keyProfile?: KeyProfileName;
  /** HTTP interface of every phone outside `mix` (json). */
  api?: DeviceApiKind;
  /** Phone kinds by index, in order (`--mix`); `devices` should be their total. */
  mix?: PhoneGroup[];
  /**
   * What a DHCP server would hand provisioning phones (option 160): they fetch `<url>/<mac>.cfg` at boot, every
   * `provisioningPeriodS`, and on check-sync. Without `mix` every phone provisions; with it, the `provisioning` role.
   */
  provisioningUrl?: string;
  provisioningPeriodS?: number;
  /** false: JSON-API phones without the status long-poll (`--no-status-wait`; see emulator/API.md). */
  statusWait?: boolean;
}

export interface ManifestEntry {
  name: string;
  address: string;
  username: string;
  password: string;
  sipUser: string;
  /** `00:90:8f:3e:01:05`; its provisioning file is the lower-case form without separators + `.cfg`. */
  mac: string;
  keyProfile: KeyProfileName;
  /** Which HTTP interface the phone serves at `address`. */
  api: DeviceApiKind;
  /** Whether it pulls its config from the provisioning URL. */
  provisioning: boolean;
}

export interface Fleet {
  readonly options: FleetOptions;
  /** The running phones, in address order. */
  readonly devices: Device[];
  get(ip: string): Device | undefined;
  /** Adds one phone at the next free index (or the given address). */
  add(ip?: string): Promise<Device>;
  remove(ip: string): Promise<boolean>;
  manifest(): ManifestEntry[];
  stop(): Promise<void>;
}

export const DEFAULT_REBOOT_MS = 1500;

export async function startPhones(options: FleetOptions): Promise<Fleet> {
  const byIp = new Map<string, Device>();
  const store = options.stateDir ? new StateStore(options.stateDir) : null;
  const lookup = (ip: string) => byIp.get(ip);
  const jsonListener = deviceRequestListener({ lookup, auth: options.auth, statusWait: options.statusWait });
  const webListener = webRequestListener(lookup);
  // Each phone serves the interface of its kind; both apps find the phone by the connection's local address.
  const listener: http.RequestListener = (req, res) => {
    const device = byIp.get((req.socket.localAddress ?? "").replace(/^::ffff:/, ""));
    (device?.identity.api === "web" ? webListener : jsonListener)(req, res);
  };
  const firstInt = ipToInt(options.firstIp);

  const kindOf = (index: number): PhoneKind =>
    phoneKind(index, options.mix, {
      api: options.api ?? "json",
      keyProfile: options.keyProfile ?? "mt505",
      provisioning: options.provisioningUrl !== undefined && !options.mix,
    });

  const identity = (index: number): DeviceIdentity => {
    const ip = nthIp(options.firstIp, index);
    const n = ipToInt(ip);
    const kind = kindOf(index);
    const prefix = PROFILES[kind.keyProfile].macPrefix;
    return {
      index,
      ip,
      httpPort: options.httpPort,
      keyProfile: kind.keyProfile,
      api: kind.api,
      name: `MT505-${String(index + 1).padStart(4, "0")}`,
      username: options.username,
      password: options.password,
      sipUser: String(options.sipUserBase + index),
      // Stable per address, so a restarted emulator presents the same phones.
      serial: `PA505${n.toString(16).toUpperCase().padStart(8, "0")}`,
      mac: [prefix.slice(0, 2), prefix.slice(2, 4), prefix.slice(4, 6), (n >>> 16) & 255, (n >>> 8) & 255, n & 255]
        .map((b) => (typeof b === "string" ? b : b.toString(16).padStart(2, "0")))
        .join(":"),
    };
  };

  const newDevice = async (index: number): Promise<Device> => {
    const id = identity(index);
    const profile = PROFILES[id.keyProfile];
    let saved = store ? await store.load(id.ip) : null;
    if (saved && (saved.keyProfile ?? "mt505") !== id.keyProfile) {
      console.error(`emulator: saved state of ${id.ip} is in the ${saved.keyProfile ?? "mt505"} tree, not ${id.keyProfile}: starting from factory config`);
      saved = null;
    }
    const initial = saved ?? { revision: 1, values: initialConfig(options, id, profile) };
    const provisioning = kindOf(index).provisioning
      ? { dhcpUrl: options.provisioningUrl ?? null, periodS: options.provisioningPeriodS ?? null }
      : { dhcpUrl: null, periodS: options.provisioningPeriodS ?? null };
    const device = new Device(id, initial, {
      createPhone: options.createPhone,
      listener,
      store,
      profile,
      provisioning,
      rebootMs: options.rebootMs ?? DEFAULT_REBOOT_MS,
    });
    byIp.set(id.ip, device);
    try {
      await device.start();
    } catch (error) {
      byIp.delete(id.ip);
      await device.stop().catch(() => {});
      throw new Error(`cannot start phone ${id.ip}:${id.httpPort}: ${(error as Error).message}`);
    }
    return device;
  };

  const fleet: Fleet = {
    options,
    get devices() {
      return [...byIp.values()].sort((a, b) => a.identity.index - b.identity.index);
    },
    get: (ip) => byIp.get(ip),
    async add(ip) {
      let index: number;
      if (ip !== undefined) {
        index = ipToInt(ip) - firstInt;
        if (index < 0) throw new Error(`${ip} is below --first-ip ${options.firstIp}`);
        if (byIp.has(ip)) throw new Error(`a phone already runs on ${ip}`);
      } else {
        index = 0;
        while (byIp.has(nthIp(options.firstIp, index))) index += 1;
      }
      const device = await newDevice(index);
      await writeManifest();
      return device;
    },
    async remove(ip) {
      const device = byIp.get(ip);
      if (!device) return false;
      byIp.delete(ip);
      await device.stop();
      await writeManifest();
      return true;
    },
    manifest: () =>
      fleet.devices.map((d) => ({
        name: d.identity.name,
        address: d.address,
        username: d.identity.username,
        password: d.identity.password,
        sipUser: d.identity.sipUser,
        mac: d.identity.mac,
        keyProfile: d.identity.keyProfile,
        api: d.identity.api,
        provisioning: kindOf(d.identity.index).provisioning,
      })),
    async stop() {
      await Promise.all([...byIp.values()].map((d) => d.stop()));
      byIp.clear();
    },
  };

  const writeManifest = async () => {
    if (!options.manifest) return;
    const temp = `${options.manifest}.tmp`;
    await writeFile(temp, JSON.stringify(fleet.manifest(), null, 2) + "\n");
    await rename(temp, options.manifest);
  };

  try {
    // Start in batches: 1,000 sockets at once would just queue on two cores and make errors hard to read.
    for (let start = 0; start < options.devices; start += 100) {
      const batch = [];
      for (let i = start; i < Math.min(options.devices, start + 100); i += 1) batch.push(newDevice(i));
      await Promise.all(batch);
    }
    await writeManifest();
  } catch (error) {
    await fleet.stop();
    throw error;
  }
  return fleet;
}

/** Factory config of a new phone: its profile's defaults + the fleet's proxies, identity and timers. */
export function initialConfig(options: FleetOptions, id: DeviceIdentity, profile: KeyProfile): ConfigValues {
  const change: Record<string, string | number> = {
    "voip/line/0/id": id.sipUser,
    "voip/line/0/auth_name": id.sipUser,
    "voip/line/0/auth_password": options.sipPassword,
  };
  if (options.proxy) {
    const { host, port } = parseHostPort(options.proxy, "--proxy");
    Object.assign(change, {
      "voip/signalling/sip/use_proxy": 1,
      "voip/signalling/sip/proxy_address": host,
      "voip/signalling/sip/proxy_port": port,
      "voip/signalling/sip/use_proxy_ip_port_for_registrar": 1,
    });
  }
  if (options.redundantProxy) {
    const { host, port } = parseHostPort(options.redundantProxy, "--redundant-proxy");
    Object.assign(change, {
      "voip/signalling/sip/redundant/use_redundant_proxy": 1,
      "voip/signalling/sip/redundant/redundant_proxy_address": host,
      "voip/signalling/sip/redundant/redundant_proxy_port": port,
    });
  }
  if (options.t1 !== undefined) change["voip/signalling/sip/sip_t1"] = options.t1;
  if (options.kaPeriod !== undefined) change["voip/signalling/sip/redundant/redundant_proxy_ka_period"] = options.kaPeriod;
  const result = applyChange(profile.defaults(), profile.fromCanonical(change), profile.byKey);
  if (!result.ok)
    throw new Error(
      `invalid phone defaults: ${Object.entries(result.errors).map(([k, m]) => `${k} ${m}`).join("; ")}`,
    );
  return result.values;
}
