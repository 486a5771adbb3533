// The bulk selection travels in the /bulk URL: ?ids=a,b (checked rows) or the device list's filter
// (?q=&site=&tag=&status=&configState=&driver=&model=, "all matching", resolved on the server). "Every device" must be said (?all=1):
// a bare /bulk selects nothing, so an empty selection never means the whole fleet.
export type BulkSelection = { deviceIds: string[] } | { filter: { q?: string; site?: string; tag?: string; status?: string; configState?: string; driver?: string; model?: string } };

export const SELECTION_FILTER_KEYS = ["q", "site", "tag", "status", "configState", "driver", "model"] as const;

/** The selection in a /bulk URL, or null when it names none. */
export function selectionFromParams(p: URLSearchParams): BulkSelection | null {
  const ids = p.get("ids")?.split(",").filter(Boolean);
  if (ids?.length) return { deviceIds: ids };
  const filter: Record<string, string> = {};
  for (const k of SELECTION_FILTER_KEYS) if (p.get(k)) filter[k] = p.get(k)!;
  if (Object.keys(filter).length === 0 && p.get("all") !== "1") return null;
  return { filter };
}

export function describeSelection(s: BulkSelection): string {
  if ("deviceIds" in s) return `${s.deviceIds.length} selected device${s.deviceIds.length === 1 ? "" : "s"}`;
  const parts = Object.entries(s.filter).map(([k, v]) => `${k} = “${v}”`);
  return parts.length ? `all devices matching ${parts.join(", ")}` : "all devices";
}
