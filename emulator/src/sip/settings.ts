import type { ConfigValues } from "./phone-contract";
import type { FailoverConfig } from "./failover";

// Derives what the SIP user agent needs from the device's own config keys (defaults from the reference).

const SIP = "voip/signalling/sip/";

export interface PhoneSettings {
  failover: FailoverConfig;
  t1: number;
  t2: number;
  localPort: number;
  user: string;
  authName: string;
  password: string;
  displayName: string;
  rport: boolean;
}

function str(config: ConfigValues, key: string, fallback = ""): string {
  const value = config[key];
  return value === undefined || value === null ? fallback : String(value).trim();
}

function num(config: ConfigValues, key: string, fallback: number): number {
  const value = Number(config[key]);
  return config[key] === undefined || config[key] === "" || !Number.isFinite(value) ? fallback : value;
}

function flag(config: ConfigValues, key: string, fallback: 0 | 1): boolean {
  return num(config, key, fallback) === 1;
}

/** `host:port`, or null when the host is empty or the 0.0.0.0 placeholder. */
function hostPort(host: string, port: number): string | null {
  if (host === "" || host === "0.0.0.0") return null;
  return `${host}:${port}`;
}

/** Primary registrar: the separate registrar if enabled, else the proxy when it doubles as registrar. */
export function primaryRegistrar(config: ConfigValues): string | null {
  if (flag(config, `${SIP}sip_registrar/enabled`, 0)) {
    return hostPort(str(config, `${SIP}sip_registrar/addr`), num(config, `${SIP}sip_registrar/port`, 5060));
  }
  if (flag(config, `${SIP}use_proxy`, 0) && flag(config, `${SIP}use_proxy_ip_port_for_registrar`, 1)) {
    return hostPort(str(config, `${SIP}proxy_address`), num(config, `${SIP}proxy_port`, 5060));
  }
  return null;
}

export function deriveSettings(config: ConfigValues): PhoneSettings {
  const t1 = Math.max(1, num(config, `${SIP}sip_t1`, 500));
  const t2 = Math.max(t1, num(config, `${SIP}sip_t2`, 4000));
  const useRedundant = flag(config, `${SIP}redundant/use_redundant_proxy`, 0);
  const user = str(config, "voip/line/0/id", "0000000001");
  const authName = str(config, "voip/line/0/auth_name") || user;
  const password = str(config, "voip/line/0/auth_password");
  const expiresS = Math.max(10, num(config, `${SIP}proxy_timeout`, 3600));
  const failover: FailoverConfig = {
    enabled: flag(config, "voip/line/0/enabled", 1),
    primary: primaryRegistrar(config),
    redundant: useRedundant
      ? hostPort(str(config, `${SIP}redundant/redundant_proxy_address`), num(config, `${SIP}redundant/redundant_proxy_port`, 5060))
      : null,
    symmetric: num(config, `${SIP}redundant/redundant_proxy_is_symmetric`, 0) === 1,
    redundantKaMs: Math.max(0, num(config, `${SIP}redundant/redundant_proxy_ka_period`, 60)) * 1000,
    keepAliveMs: flag(config, `${SIP}ka_options/enabled`, 0) ? Math.max(1, num(config, `${SIP}ka_options/timeout`, 300)) * 1000 : 0,
    expiresS,
    // After a rejection, wait one transaction timeout (64·T1), capped at a minute, before trying again.
    retryDelayMs: Math.min(60_000, 64 * t1),
    account: JSON.stringify([user, authName, password]),
  };
  return {
    failover,
    t1,
    t2,
    localPort: num(config, `${SIP}port`, 5060),
    user,
    authName,
    password,
    displayName: str(config, "voip/line/0/description"),
    rport: flag(config, `${SIP}rport/enabled`, 1),
  };
}
