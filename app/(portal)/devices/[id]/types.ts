// Shapes of the portal API answers this page uses (GET /api/v1/devices/<id>, GET|PATCH …/config).
import type { MaskedConfigValues } from "@/lib/params";

export type { Device } from "@/components/devices/types";

export type ConfigState = "pending_push" | "in_sync" | "never_pushed";

export interface DeviceConfig {
  values: MaskedConfigValues;
  revision: number;
  state: ConfigState;
  syncedAt: string | null;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface ConfigPatchResult {
  values: MaskedConfigValues;
  revision: number;
  state: ConfigState;
}
