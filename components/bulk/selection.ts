// The bulk selection travels in the /bulk URL: ?ids=a,b (checked rows) or the device list's filter
// (?q=&site=&tag=&status=, "all matching", resolved on the server).
export type BulkSelection = { deviceIds: string[] } | { filter: { q?: string; site?: string; tag?: string; status?: string; configState?: string } };

export function selectionFromParams(p: URLSearchParams): BulkSelection {
  const ids = p.get("ids");
  if (ids) return { deviceIds: ids.split(",").filter(Boolean) };
  const filter: Record<string, string> = {};
  for (const k of ["q", "site", "tag", "status", "configState"]) if (p.get(k)) filter[k] = p.get(k)!;
  return { filter };
}

export function describeSelection(s: BulkSelection): string {
  if ("deviceIds" in s) return `${s.deviceIds.length} selected device${s.deviceIds.length === 1 ? "" : "s"}`;
  const parts = Object.entries(s.filter).map(([k, v]) => `${k} = “${v}”`);
  return parts.length ? `all devices matching ${parts.join(", ")}` : "all devices";
}
