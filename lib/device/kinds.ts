// The device drivers by name and what each can prove. Pure data: the inventory schema, the UI and the drivers
// all read it (one definition of the names and capabilities).

export const DRIVERS = ["api", "web", "provisioning"] as const;
export type DriverKind = (typeof DRIVERS)[number];
export const DEFAULT_DRIVER: DriverKind = "api";

export interface DriverCapabilities {
  /** The portal can read the phone's configuration back (a change is "verified by read-back"). */
  readBack: boolean;
  /** The phone reports a config revision (drift and If-Match rely on it). */
  revisions: boolean;
  /** The phone reports its registration status over this interface. */
  status: boolean;
  /** The phone has its own web pages an administrator can open. */
  webPage: boolean;
}

export const CAPABILITIES: Readonly<Record<DriverKind, DriverCapabilities>> = {
  api: { readBack: true, revisions: true, status: true, webPage: false },
  web: { readBack: true, revisions: false, status: true, webPage: true },
  // The phone pulls its file; the portal can prove only that the phone fetched a revision ("delivered").
  provisioning: { readBack: false, revisions: true, status: false, webPage: false },
};

export const DRIVER_LABELS: Readonly<Record<DriverKind, string>> = {
  api: "JSON config API",
  web: "Web interface (AudioCodes family)",
  provisioning: "Provisioning (phone pulls its file)",
};

export function isDriver(value: unknown): value is DriverKind {
  return typeof value === "string" && (DRIVERS as readonly string[]).includes(value);
}
