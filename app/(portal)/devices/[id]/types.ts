// Shapes of the portal API answers this page uses (GET /api/v1/devices/<id>, GET|PATCH …/config).
import type { PushConfig, PushState } from "@/components/push/types";

export type { Device } from "@/components/devices/types";

export type ConfigState = PushState;

export interface DeviceConfig extends PushConfig {
  updatedAt: string | null;
  updatedBy: string | null;
}
