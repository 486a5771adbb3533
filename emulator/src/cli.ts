// `npm run emulator -- --devices N …`: a fleet of emulated Spider MT505 phones in one process.
import { parseArgs } from "node:util";
import { startDemoProxies } from "./control/proxies";
import { DEVICE_API_KINDS, type DeviceApiKind } from "./fleet/device";
import { FLEET_DEFAULTS, parseMix, startFleet, type EmulatorOptions } from "./fleet/index";
import { mixTotal } from "./fleet/mix";
import { KEY_PROFILES, isKeyProfile } from "./profiles/index";
import { unsupportedUrl } from "./provisioning/url";

const HELP = `Usage: npm run emulator -- [options]

Emulates a fleet of Phoenix Audio Spider MT505 SIP phones. Phone i answers the device HTTP config API on
<first-ip + i>:<http-port> and runs a SIP user agent on UDP <first-ip + i>:5060.

  --devices N              number of phones (default ${FLEET_DEFAULTS.devices})
  --first-ip IP            loopback address of the first phone (default ${FLEET_DEFAULTS.firstIp})
  --http-port P            device API port on every phone's address (default ${FLEET_DEFAULTS.httpPort})
  --proxy H:P              primary SIP proxy/registrar written into new phones (use_proxy=1)
  --redundant-proxy H:P    redundant proxy written into new phones (use_redundant_proxy=1)
  --start-proxies          also start two demo registrars on the --proxy and --redundant-proxy addresses
  --manifest FILE          write [{name, address, username, password, sipUser, mac, keyProfile, api,
                           provisioning}] (kept up to date)
  --control-port P         serve the control surface on this port (off when omitted)
  --control-host H         address of the control surface (default 127.0.0.1)
  --state-dir DIR          keep each phone's config + revision here, across restarts
  --username U             device API user of every phone (default ${FLEET_DEFAULTS.username})
  --password P             device API password of every phone (default ${FLEET_DEFAULTS.password})
  --sip-user-base N        SIP user of phone i = N + i (default ${FLEET_DEFAULTS.sipUserBase})
  --sip-password P         SIP digest password of new phones (default empty)
  --t1 MS                  sip_t1 of new phones, ms (100..60000; default 500; transaction timeout = 64*T1)
  --ka-period S            redundant_proxy_ka_period of new phones, s (0..300; default 60)
  --reboot-ms MS           how long a phone stays away on a control "reboot" (default 1500)
  --no-sip                 phones without SIP (device API only)
  --no-status-wait         JSON-API phones without the status long-poll: GET /status ignores ?wait and sends
                           no Status-Wait-Max header (older firmware; clients fall back to interval polling)
  --key-profile P          key tree every phone stores and speaks: ${KEY_PROFILES.join(" | ")} (default mt505)
  --api A                  HTTP interface of every phone: json (device API) | web (AudioCodes-family web
                           interface) (default json)
  --mix GROUPS             a mixed fleet, phones in this order: role[@profile]:count,... with role
                           api (JSON API) | web (web interface) | provisioning (JSON API + pulls its file from
                           --provisioning-url), e.g. --mix api:10,web@audiocodes-hd:5,provisioning@audiocodes-hd:5
                           (--devices defaults to the total; phones added later get --api/--key-profile)
  --provisioning-url URL   provisioning phones fetch URL/<mac>.cfg (mac lower case, no separators) at boot,
                           on an accepted SIP NOTIFY "Event: check-sync", and every --provisioning-period;
                           http or https, credentials allowed (http://user:pass@host/path/). It stands in for
                           the DHCP option 160 URL: a phone whose provisioning/method is STATIC uses its stored
                           provisioning/configuration/url instead. Without --mix every phone provisions.
  --provisioning-period S  also fetch every S seconds (1..86400; default: only at boot and on check-sync)
  --help                   this text

Config flags only seed NEW phones; a phone with a saved state in --state-dir keeps its own config.`;

function int(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer ${min}..${max}, got "${text}"`);
  return n;
}

function oneOf<T extends string>(name: string, text: string | undefined, all: readonly T[], is: (v: string) => v is T): T | undefined {
  if (text === undefined) return undefined;
  if (!is(text)) throw new Error(`--${name} must be one of ${all.join(", ")}, got "${text}"`);
  return text;
}

function parseCli(argv: string[]): (EmulatorOptions & { startProxies: boolean }) | "help" {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      devices: { type: "string" },
      "first-ip": { type: "string" },
      "http-port": { type: "string" },
      proxy: { type: "string" },
      "redundant-proxy": { type: "string" },
      "start-proxies": { type: "boolean", default: false },
      manifest: { type: "string" },
      "control-port": { type: "string" },
      "control-host": { type: "string" },
      "state-dir": { type: "string" },
      username: { type: "string" },
      password: { type: "string" },
      "sip-user-base": { type: "string" },
      "sip-password": { type: "string" },
      t1: { type: "string" },
      "ka-period": { type: "string" },
      "reboot-ms": { type: "string" },
      "no-sip": { type: "boolean", default: false },
      "no-status-wait": { type: "boolean", default: false },
      "key-profile": { type: "string" },
      api: { type: "string" },
      mix: { type: "string" },
      "provisioning-url": { type: "string" },
      "provisioning-period": { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return "help";
  const options: EmulatorOptions & { startProxies: boolean } = {
    devices: int("devices", values.devices, 0, 65_000),
    firstIp: values["first-ip"],
    httpPort: int("http-port", values["http-port"], 1, 65535),
    proxy: values.proxy,
    redundantProxy: values["redundant-proxy"],
    startProxies: values["start-proxies"] ?? false,
    manifest: values.manifest,
    controlPort: int("control-port", values["control-port"], 0, 65535),
    controlHost: values["control-host"],
    stateDir: values["state-dir"],
    username: values.username,
    password: values.password,
    sipUserBase: int("sip-user-base", values["sip-user-base"], 0, 1e12),
    sipPassword: values["sip-password"],
    t1: int("t1", values.t1, 100, 60000),
    kaPeriod: int("ka-period", values["ka-period"], 0, 300),
    rebootMs: int("reboot-ms", values["reboot-ms"], 0, 600000),
    sip: !values["no-sip"],
    statusWait: values["no-status-wait"] ? false : undefined,
    provisioningUrl: values["provisioning-url"],
    provisioningPeriodS: int("provisioning-period", values["provisioning-period"], 1, 86400),
    keyProfile: oneOf("key-profile", values["key-profile"], KEY_PROFILES, isKeyProfile),
    api: oneOf("api", values.api, DEVICE_API_KINDS, (v): v is DeviceApiKind => (DEVICE_API_KINDS as readonly string[]).includes(v)),
  };
  if (options.provisioningUrl !== undefined) {
    const problem = unsupportedUrl(options.provisioningUrl);
    if (problem) throw new Error(`--provisioning-url: ${problem}`);
  }
  if (values.mix !== undefined) {
    options.mix = parseMix(values.mix, options.keyProfile ?? "mt505");
    if (options.devices !== undefined && options.devices !== mixTotal(options.mix))
      throw new Error(`--devices ${options.devices} differs from the --mix total ${mixTotal(options.mix)} (leave --devices out)`);
  }
  // Drop unset flags so the fleet defaults apply.
  for (const key of Object.keys(options) as (keyof typeof options)[]) if (options[key] === undefined) delete options[key];
  if (options.firstIp && !/^127\./.test(options.firstIp)) throw new Error(`--first-ip must be a loopback address (127.x.y.z), got "${options.firstIp}"`);
  if (options.startProxies && !options.proxy) throw new Error("--start-proxies needs --proxy (and usually --redundant-proxy)");
  return options;
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(process.argv.slice(2));
  } catch (error) {
    console.error(`emulator: ${(error as Error).message}\nRun with --help for the options.`);
    process.exit(2);
  }
  if (parsed === "help") {
    console.log(HELP);
    return;
  }
  const { startProxies, ...options } = parsed;
  const proxies = startProxies ? await startDemoProxies(options.proxy!, options.redundantProxy, options.sipPassword) : null;
  const fleet = await startFleet({ ...options, proxies: proxies?.controls });
  const first = fleet.devices[0];
  console.log(
    `emulator ready: ${fleet.devices.length} devices` +
      (first ? ` from ${first.address}` : "") +
      (fleet.controlAddress ? `, control http://${fleet.controlAddress}` : "") +
      (options.manifest ? `, manifest ${options.manifest}` : "") +
      (proxies ? `, demo registrars ${proxies.describe()}` : ""),
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`emulator: ${signal}, stopping ${fleet.devices.length} devices`);
    // Give unregistration a bounded time; a stuck proxy must not keep the process alive.
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    void fleet
      .stop()
      .then(() => proxies?.stop())
      .then(() => process.exit(0), (error: unknown) => {
        console.error(`emulator: error while stopping: ${String(error)}`);
        process.exit(1);
      });
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(`emulator: ${(error as Error).message ?? String(error)}`);
  process.exit(1);
});
