"use client";
// Push, retry, sync and drift actions of the device page, talking to /api/v1/devices/<id>/…. The config lives
// in the query cache (components/api): every action writes the server's new config there and invalidates what
// the action changed elsewhere (revisions, the list).
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { urlKey, useInvalidate } from "@/components/api/query";
import { urls } from "@/components/api/resources";
import { configActionSchema, deviceConfigSchema, savedConfigSchema, type DeviceConfig } from "@/components/api/schemas";
import type { SaveOutcome } from "@/components/config-form/ConfigForm";
import { ApiError, apiFetch } from "@/components/ui/api-client";
import type { ConfigValues } from "@/lib/params";

export type PushBusy = "push" | "retry" | "sync" | "adopt" | "overwrite" | null;

export type PushFeedback =
  | { kind: "pushed"; deviceRevision: number | null; noop: boolean }
  | { kind: "synced"; deviceRevision: number | null; drifted: boolean }
  | { kind: "adopted" }
  | { kind: "error"; action: "push" | "sync"; code: string; message: string }
  | null;

const errorOf = (e: unknown, action: "push" | "sync"): PushFeedback =>
  e instanceof ApiError
    ? { kind: "error", action, code: e.body.code, message: e.body.message }
    : { kind: "error", action, code: "unknown", message: "The request failed unexpectedly." };

export function useDevicePush(deviceId: string, config: DeviceConfig, canChange: boolean) {
  const client = useQueryClient();
  const invalidate = useInvalidate();
  const base = urls.device(deviceId);
  const [busy, setBusy] = useState<PushBusy>(null);
  const [feedback, setFeedback] = useState<PushFeedback>(null);

  const setConfig = useCallback((c: DeviceConfig) => client.setQueryData(urlKey(urls.config(deviceId)), c), [client, deviceId]);
  /** After any write: the config from the server, and the history and list that the write changed. */
  const refresh = useCallback(async () => {
    const fresh = await apiFetch(urls.config(deviceId), { schema: deviceConfigSchema });
    setConfig(fresh);
    void invalidate(urls.revisions(deviceId), urls.deviceProvisioning(deviceId));
    void client.invalidateQueries({ predicate: (q) => typeof q.queryKey[0] === "string" && q.queryKey[0].startsWith(`${urls.devices}?`) });
    return fresh;
  }, [client, deviceId, invalidate, setConfig]);

  /** POST action → the answer carries the new config plus `push` or `sync`. */
  const act = useCallback(
    async (kind: Exclude<PushBusy, null | "push">, path: string) => {
      setBusy(kind);
      setFeedback(null);
      try {
        const { push, sync, ...next } = await apiFetch(`${base}${path}`, { method: "POST", schema: configActionSchema });
        setConfig(next);
        void invalidate(urls.revisions(deviceId), urls.deviceProvisioning(deviceId));
        if (kind === "adopt") setFeedback({ kind: "adopted" });
        else if (push) setFeedback({ kind: "pushed", deviceRevision: push.deviceRevision, noop: push.noop });
        else setFeedback({ kind: "synced", deviceRevision: next.deviceRevision, drifted: Object.keys(sync?.drift ?? {}).length > 0 });
      } catch (e) {
        setFeedback(errorOf(e, kind === "sync" || kind === "adopt" ? "sync" : "push"));
        await refresh().catch(() => {});
      } finally {
        setBusy(null);
      }
    },
    [base, deviceId, invalidate, refresh, setConfig],
  );

  /** "Save and push": PATCH …/config; device rejections come back as field errors for the form. */
  const save = useCallback(
    async (changed: ConfigValues): Promise<SaveOutcome> => {
      setBusy("push");
      setFeedback(null);
      try {
        const r = await apiFetch(`${base}/config`, {
          method: "PATCH",
          // The revision makes a concurrent edit in the portal a 409 instead of a silent overwrite.
          json: { values: changed, revision: config.revision },
          schema: savedConfigSchema,
        });
        const fresh = await refresh();
        setFeedback({ kind: "pushed", deviceRevision: r.push.deviceRevision, noop: r.push.noop });
        return { ok: true, values: fresh.values ?? {} };
      } catch (e) {
        setFeedback(errorOf(e, "push"));
        if (e instanceof ApiError && (e.status === 422 || e.status === 409)) {
          // Keep the form (and its field errors) as typed; only the state badge changes.
          if (e.body.code === "rejected_by_device") setConfig({ ...config, state: "push_failed" });
          return { ok: false, fields: e.body.fields };
        }
        // The desired config was stored and stays pending: show it (and Retry).
        await refresh().catch(() => {});
        return { ok: false };
      } finally {
        setBusy(null);
      }
    },
    [base, config, refresh, setConfig],
  );

  return {
    busy,
    feedback,
    save,
    retry: () => act("retry", "/config/push"),
    /** After a 409 (someone saved meanwhile): take the server's config, dropping the unsaved edits. */
    reload: async () => {
      setFeedback(null);
      await refresh();
    },
    sync: () => act("sync", "/sync"),
    adopt: () => act("adopt", "/drift/adopt"),
    overwrite: () => act("overwrite", "/drift/overwrite"),
  };
}
