import { SELECTION_FILTER_KEYS } from "@/components/bulk/selection";
import type { DeviceListColumn } from "@/lib/inventory/schemas";

// The list's search, filters and page live in the URL (?q=&site=&tag=&status=&page=&size=) so a view can be shared
// and survives a reload; the server does the filtering and paging.

export const PAGE_SIZES = [25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 50;

/** Server-sorted columns (GET /api/v1/devices?sort=&dir=). */
export const SORTS = ["name", "address", "site", "model", "extension", "registration"] as const;
export type Sort = (typeof SORTS)[number];

/** Columns the user may show or hide (the column chooser); the rest are always there. */
// (The ids are lib/inventory DEVICE_LIST_COLUMNS, which saved views are checked against; `satisfies` keeps them one list.)
export const OPTIONAL_COLUMNS = [
  { id: "model", label: "Model" },
  { id: "driver", label: "Driver" },
  { id: "firmware", label: "Firmware" },
  { id: "extension", label: "SIP extension" },
  { id: "lastSeen", label: "Last seen" },
  { id: "configState", label: "Config state" },
] as const satisfies readonly { id: DeviceListColumn; label: string }[];
export type OptionalColumn = (typeof OPTIONAL_COLUMNS)[number]["id"];
export const DEFAULT_COLUMNS: readonly OptionalColumn[] = ["extension", "lastSeen", "configState"];

export type DeviceQuery = {
  q: string;
  site: string;
  tag: string;
  status: string;
  configState: string;
  driver: string;
  model: string;
  page: number;
  size: number;
  sort: Sort;
  dir: "asc" | "desc";
  cols: readonly OptionalColumn[];
};

export function readQuery(params: URLSearchParams): DeviceQuery {
  const page = Math.max(1, Math.floor(Number(params.get("page")) || 1));
  const sizeParam = Number(params.get("size"));
  const size = (PAGE_SIZES as readonly number[]).includes(sizeParam) ? sizeParam : DEFAULT_PAGE_SIZE;
  const sortParam = params.get("sort");
  const sort = (SORTS as readonly string[]).includes(sortParam ?? "") ? (sortParam as Sort) : "name";
  const known = OPTIONAL_COLUMNS.map((c) => c.id) as string[];
  const colsParam = params.get("cols");
  const cols = colsParam === null ? DEFAULT_COLUMNS : (colsParam.split(",").filter((c) => known.includes(c)) as OptionalColumn[]);
  return {
    q: params.get("q") ?? "",
    site: params.get("site") ?? "",
    tag: params.get("tag") ?? "",
    status: params.get("status") ?? "",
    configState: params.get("configState") ?? "",
    driver: params.get("driver") ?? "",
    model: params.get("model") ?? "",
    page,
    size,
    sort,
    dir: params.get("dir") === "desc" ? "desc" : "asc",
    cols,
  };
}

/** The list's filter (the same keys a bulk selection carries), empty ones left out. */
function filterParams(query: DeviceQuery): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of SELECTION_FILTER_KEYS) if (query[k]) p.set(k, query[k]);
  return p;
}

/** URL search string for the page itself (defaults left out to keep links short). */
export function pageSearch(query: DeviceQuery): string {
  const p = filterParams(query);
  if (query.page > 1) p.set("page", String(query.page));
  if (query.size !== DEFAULT_PAGE_SIZE) p.set("size", String(query.size));
  if (query.sort !== "name") p.set("sort", query.sort);
  if (query.dir !== "asc") p.set("dir", query.dir);
  if (query.cols.join(",") !== DEFAULT_COLUMNS.join(",")) p.set("cols", query.cols.join(","));
  const s = p.toString();
  return s ? `?${s}` : "";
}

/** GET /api/v1/devices URL for a query. */
export function apiUrl(query: DeviceQuery): string {
  const p = filterParams(query);
  if (query.sort !== "name") p.set("sort", query.sort);
  if (query.dir !== "asc") p.set("dir", query.dir);
  p.set("limit", String(query.size));
  p.set("offset", String((query.page - 1) * query.size));
  return `/api/v1/devices?${p}`;
}

/** /bulk URL for a selection: checked ids, or (ids null) every device matching the list's filter. */
export function bulkHref(query: DeviceQuery, ids: string[] | null): string {
  const p = ids ? new URLSearchParams({ ids: ids.join(",") }) : filterParams(query);
  // Every device, said explicitly (a bare /bulk selects nothing).
  if ([...p.keys()].length === 0) p.set("all", "1");
  return `/bulk?${p}`;
}
