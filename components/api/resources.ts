"use client";
// One hook per portal resource, keyed by its URL (components/api/query.tsx). Pages use these, never fetch.
import type { BulkSelection } from "@/components/bulk/selection";
import { keepPreviousData } from "@tanstack/react-query";
import { z } from "zod";
import { deviceStatusSchema, pollerHealthSchema, statusSummarySchema } from "@/lib/poller/schemas";
import { proxyDetailSchema, proxyListSchema } from "@/lib/proxy-health/model";
import { freshnessRefetchMs } from "@/components/status/freshness";
import { useApiPostQuery, useApiQuery } from "./query";
import {
  commonValuesSchema,
  deviceConfigSchema,
  deviceListSchema,
  deviceProvisioningSchema,
  deviceSchema,
  provisioningOverviewSchema,
  revisionListSchema,
  revisionSchema,
  statusReachSchema,
  userListSchema,
  type DeviceConfig,
} from "./schemas";

export const urls = {
  devices: "/api/v1/devices",
  device: (id: string) => `/api/v1/devices/${encodeURIComponent(id)}`,
  config: (id: string) => `${urls.device(id)}/config`,
  status: (id: string) => `${urls.device(id)}/status`,
  revisions: (id: string) => `${urls.device(id)}/revisions`,
  deviceProvisioning: (id: string) => `${urls.device(id)}/provisioning`,
  pointAtProvisioning: (id: string) => `${urls.device(id)}/provisioning/point`,
  provisioning: "/api/v1/provisioning",
  revision: (id: string, rid: number) => `${urls.revisions(id)}/${rid}`,
  users: "/api/v1/users",
  bulkCommon: "/api/v1/jobs/common",
  statusSummary: "/api/v1/status/summary",
  poller: "/api/v1/poller",
  proxies: "/api/v1/proxies",
  proxy: (address: string) => `/api/v1/proxies/${encodeURIComponent(address)}`,
} as const;

/** GET /devices?… (the list's filter and page are in the URL). Keeps the last page while the next loads. */
export const useDeviceList = (url: string) =>
  useApiQuery(url, deviceListSchema, { placeholderData: keepPreviousData, refetchInterval: (q) => freshnessRefetchOf(q.state.data) });

/** Re-reads a reply that carries phones' last answers often enough that none looks stale wrongly (status/freshness). */
const staleOnly = z.object({ staleAfterS: z.number().positive() });
function freshnessRefetchOf(data: unknown): number | false {
  const known = staleOnly.safeParse(data);
  return known.success ? freshnessRefetchMs(known.data.staleAfterS) : false;
}

export const useDevice = (id: string) => useApiQuery(urls.device(id), deviceSchema);

/**
 * GET …/config. While the portal has not read the phone yet (`never_read`), it asks again every few seconds:
 * the server reads new phones in the background, and the page follows without a reload.
 */
export const useDeviceConfig = (id: string) =>
  useApiQuery(urls.config(id), deviceConfigSchema, {
    refetchInterval: (q) => ((q.state.data as Partial<DeviceConfig> | undefined)?.state === "never_read" ? 3_000 : false),
  });

/** Whether the poller reaches the phone (refreshed every few seconds while `follow`). */
export const useDeviceReach = (id: string, follow: boolean) =>
  useApiQuery(urls.status(id), statusReachSchema, { refetchInterval: follow ? 3_000 : false });

/** A provisioning phone's fetches and served config; followed every few seconds (phones fetch on their own). */
export const useDeviceProvisioning = (id: string | null, follow: boolean) =>
  useApiQuery(id === null ? null : urls.deviceProvisioning(id), deviceProvisioningSchema, { refetchInterval: follow ? 5_000 : false });

/** Admins: provisioning URL parts, shared credentials and unknown phones (refreshed while the page is open). */
export const useProvisioningOverview = () => useApiQuery(urls.provisioning, provisioningOverviewSchema, { refetchInterval: 10_000 });

export const useRevisions = (id: string) => useApiQuery(urls.revisions(id), revisionListSchema);
export const useRevision = (id: string, rid: number) => useApiQuery(urls.revision(id, rid), revisionSchema);

export const useUsers = () => useApiQuery(urls.users, userListSchema);

/** The selection's common/mixed values of the bulk keys (a read, though it is a POST: the selection can be large). */
export const useBulkCommon = (selection: BulkSelection | null, keys: string[]) =>
  useApiPostQuery(urls.bulkCommon, selection ? { selection, keys } : null, commonValuesSchema);

// Live status. Each of these is also refetched by its page on the live events that concern it (components/status/live).

const intervalOnly = z.object({ intervalS: z.number().positive() });
/** GET /status/summary: fleet counts and their trend, refreshed once per poll interval (15 s until it is known). */
export const useStatusSummary = () =>
  useApiQuery(urls.statusSummary, statusSummarySchema, {
    refetchInterval: (q) => {
      const known = intervalOnly.safeParse(q.state.data);
      return (known.success ? known.data.intervalS : 15) * 1000;
    },
  });

/** GET /poller: the poller's health, refreshed every few seconds. */
export const usePollerHealth = () => useApiQuery(urls.poller, pollerHealthSchema, { refetchInterval: 5_000 });

/**
 * GET …/status in full (registration, keep-alive, timeline); keep-alive times and the last answer are not events, so
 * also every 15 s, or sooner when the freshness threshold needs it.
 */
export const useStatusDetail = (id: string) =>
  useApiQuery(urls.status(id), deviceStatusSchema, { refetchInterval: (q) => Math.min(15_000, freshnessRefetchOf(q.state.data) || 15_000) });

/** GET /proxies and one proxy's detail; probes arrive as `proxy` events, patched into these caches. */
export const useProxies = () => useApiQuery(urls.proxies, proxyListSchema);
export const useProxyDetail = (address: string) => useApiQuery(urls.proxy(address), proxyDetailSchema);
