// What kind of request a phone served, for the control surface's per-phone counters (issue 12 counts polls).
export const REQUEST_KINDS = ["status", "config", "patch", "info", "cfg", "restore", "web", "other"] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export type RequestCounts = Record<RequestKind, number>;

export const emptyCounts = (): RequestCounts =>
  Object.fromEntries(REQUEST_KINDS.map((kind) => [kind, 0])) as RequestCounts;

const JSON_ROUTES: Record<string, RequestKind> = {
  "GET /api/v1/status": "status",
  "GET /api/v1/config": "config",
  "PATCH /api/v1/config": "patch",
  "GET /api/v1/device": "info",
  "GET /api/v1/config.cfg": "cfg",
  "PUT /api/v1/config.cfg": "restore",
};

/** Classifies a device-API request; anything outside the JSON API's routes is "other". */
export function jsonRequestKind(method: string, path: string): RequestKind {
  return JSON_ROUTES[`${method.toUpperCase()} ${path}`] ?? "other";
}
