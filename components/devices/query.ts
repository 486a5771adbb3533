// The list's search, filters and page live in the URL (?q=&site=&tag=&status=&page=&size=) so a view can be shared
// and survives a reload; the server does the filtering and paging.

export const PAGE_SIZES = [25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 50;

export type DeviceQuery = { q: string; site: string; tag: string; status: string; configState: string; page: number; size: number };

export function readQuery(params: URLSearchParams): DeviceQuery {
  const page = Math.max(1, Math.floor(Number(params.get("page")) || 1));
  const sizeParam = Number(params.get("size"));
  const size = (PAGE_SIZES as readonly number[]).includes(sizeParam) ? sizeParam : DEFAULT_PAGE_SIZE;
  return { q: params.get("q") ?? "", site: params.get("site") ?? "", tag: params.get("tag") ?? "", status: params.get("status") ?? "", configState: params.get("configState") ?? "", page, size };
}

/** URL search string for the page itself (defaults left out to keep links short). */
export function pageSearch(query: DeviceQuery): string {
  const p = new URLSearchParams();
  if (query.q) p.set("q", query.q);
  if (query.site) p.set("site", query.site);
  if (query.tag) p.set("tag", query.tag);
  if (query.status) p.set("status", query.status);
  if (query.configState) p.set("configState", query.configState);
  if (query.page > 1) p.set("page", String(query.page));
  if (query.size !== DEFAULT_PAGE_SIZE) p.set("size", String(query.size));
  const s = p.toString();
  return s ? `?${s}` : "";
}

/** GET /api/v1/devices URL for a query. */
export function apiUrl(query: DeviceQuery): string {
  const p = new URLSearchParams();
  if (query.q) p.set("q", query.q);
  if (query.site) p.set("site", query.site);
  if (query.tag) p.set("tag", query.tag);
  if (query.status) p.set("status", query.status);
  if (query.configState) p.set("configState", query.configState);
  p.set("limit", String(query.size));
  p.set("offset", String((query.page - 1) * query.size));
  return `/api/v1/devices?${p}`;
}

/** /bulk URL for a selection: checked ids, or (ids null) every device matching the list's filter. */
export function bulkHref(query: DeviceQuery, ids: string[] | null): string {
  const p = new URLSearchParams();
  if (ids) p.set("ids", ids.join(","));
  else for (const k of ["q", "site", "tag", "status", "configState"] as const) if (query[k]) p.set(k, query[k]);
  const s = p.toString();
  return s ? `/bulk?${s}` : "/bulk";
}
