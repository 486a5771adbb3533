// The family's provisioning keys (310HD configuration dump, see /work/shared/reference/audiocodes-hd-family.md):
// how the phone pulls its configuration file. Same spelling in every profile.
import type { ParamSpec } from "../config/reference";

export const PROVISIONING_KEY = {
  method: "provisioning/method",
  configUrl: "provisioning/configuration/url",
  firmwareUrl: "provisioning/firmware/url",
  optionValue: "provisioning/url_option_value",
  periodType: "provisioning/period/type",
  hoursInterval: "provisioning/period/hourly/hours_interval",
  dailyTime: "provisioning/period/daily/time",
  weeklyDay: "provisioning/period/weekly/day",
  weeklyTime: "provisioning/period/weekly/time",
  random: "provisioning/random_provisioning_time",
} as const;

export const PROVISIONING_METHODS = ["DISABLE", "DYNAMIC", "STATIC"] as const;
export type ProvisioningMethod = (typeof PROVISIONING_METHODS)[number];
/** HOURLY/DAILY/WEEKLY are in the dump; POWER_UP (check only at boot) is an assumption from the web form. */
export const PERIOD_TYPES = ["HOURLY", "DAILY", "WEEKLY", "POWER_UP"] as const;
export const WEEKDAYS = ["SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"] as const;

const K = PROVISIONING_KEY;
const enumOf = (values: readonly string[]) => values.map((value) => ({ value, label: value }));
const STATIC = { key: K.method, equals: "STATIC" };
const section = "provisioning";

// Ranges and the weekday/period spellings beyond the dump's values are assumptions (marked in README).
export const PROVISIONING_PARAMS: readonly ParamSpec[] = [
  { key: K.method, label: "Provisioning method", section, type: "enum", default: "DYNAMIC", options: enumOf(PROVISIONING_METHODS) },
  { key: K.configUrl, label: "Configuration URL", section, type: "string", maxLength: 255, default: "", appliesWhen: STATIC },
  { key: K.firmwareUrl, label: "Firmware URL", section, type: "string", maxLength: 255, default: "" },
  { key: K.optionValue, label: "DHCP option for the URL", section, type: "integer", min: 1, max: 254, default: 160 },
  { key: K.periodType, label: "Periodic check", section, type: "enum", default: "DAILY", options: enumOf(PERIOD_TYPES) },
  { key: K.hoursInterval, label: "Every N hours", section, type: "integer", min: 1, max: 168, default: 24 },
  { key: K.dailyTime, label: "Daily at (HH:MM)", section, type: "string", maxLength: 5, default: "00:00" },
  {
    key: K.weeklyDay, label: "Weekly on", section, type: "enum", default: "SUNDAY",
    options: enumOf(WEEKDAYS),
  },
  { key: K.weeklyTime, label: "Weekly at (HH:MM)", section, type: "string", maxLength: 5, default: "00:00" },
  { key: K.random, label: "Random delay (s)", section, type: "integer", min: 0, max: 86400, default: 120 },
];
