// The config fields the push UI reads (GET /api/v1/devices/<id>/config).
import type { MaskedConfigValues } from "@/lib/params";

export type PushState = "never_pushed" | "pending_push" | "in_sync" | "drifted" | "push_failed";

export interface PushConfig {
  values: MaskedConfigValues;
  revision: number;
  state: PushState;
  syncedAt: string | null;
  deviceRevision: number | null;
  drift: Record<string, { expected: unknown; actual: unknown }> | null;
  lastError: { code: string; message: string; fields?: Record<string, string>; at: string } | null;
  lastPushAt: string | null;
}
