// Drivers and models as people read them, for the device form, the list's filters and the device page.
// The names and capabilities themselves are defined once in lib/device/kinds.ts and lib/params/profiles/data.ts.
import { CAPABILITIES, DRIVER_LABELS, DRIVERS, type DriverKind } from "@/lib/device/kinds";
import { MODELS, PROFILE_DATA, type ModelId } from "@/lib/params/profiles/data";
import type { SelectOption } from "@/components/ui/SelectField";

export const MODEL_LABELS: Readonly<Record<ModelId, string>> = Object.fromEntries(MODELS.map((m) => [m, PROFILE_DATA[m].label])) as Record<ModelId, string>;

/** Short forms for table cells. */
export const DRIVER_SHORT: Readonly<Record<DriverKind, string>> = { api: "JSON API", web: "Web interface", provisioning: "Provisioning" };
export const MODEL_SHORT: Readonly<Record<ModelId, string>> = { mt505: "Spider MT505", "audiocodes-hd": "AudioCodes HD" };

export const DRIVER_OPTIONS: readonly SelectOption[] = DRIVERS.map((d) => ({ value: d, label: DRIVER_LABELS[d] }));
export const MODEL_OPTIONS: readonly SelectOption[] = MODELS.map((m) => ({ value: m, label: MODEL_LABELS[m] }));

/** What the portal can prove about a phone of this driver, in plain words (device page). */
export function capabilityLines(driver: DriverKind): { proven: string; lines: string[] } {
  const c = CAPABILITIES[driver];
  const lines = [
    c.readBack
      ? "Changes are verified by read-back: after a push the portal reads the phone's configuration again and compares."
      : "Changes are delivered, not read back: the phone fetches its file from the portal, and the portal can prove only which revision it fetched.",
    c.revisions ? "The phone's configuration revision is tracked, so a change made on the phone itself shows as drift." : "The phone reports no configuration revision: a change made on the phone itself is noticed only at the next read.",
    c.status ? "Registration status is read from the phone." : "Registration status cannot be read from the phone (only from a registrar, if one is configured).",
  ];
  return { proven: c.readBack ? "verified by read-back" : "delivered — the phone fetches it", lines };
}

/** The phone's own web pages, when its driver has them (the web interface's root on its HTTP address). */
export function webPageUrl(driver: DriverKind, address: string): string | null {
  return CAPABILITIES[driver].webPage ? `http://${address}/` : null;
}
