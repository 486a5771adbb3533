"use client";
// Push, retry, sync and drift actions of the device page, talking to /api/v1/devices/<id>/…. The page keeps
// the config; this hook reports every new server state through `onConfig`.
import { useCallback, useEffect, useRef, useState } from "react";
import type { SaveOutcome } from "@/components/config-form/ConfigForm";
import { ApiError, apiFetch } from "@/components/ui/api-client";
import type { ConfigValues } from "@/lib/params";
import type { PushConfig } from "./types";

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

export function useDevicePush<C extends PushConfig>(base: string, config: C, onConfig: (c: C) => void, canChange: boolean) {
  const [busy, setBusy] = useState<PushBusy>(null);
  const [feedback, setFeedback] = useState<PushFeedback>(null);
  const reload = useCallback(async () => onConfig(await apiFetch<C>(`${base}/config`)), [base, onConfig]);

  /** POST action → the answer carries the new config plus `push` or `sync`. */
  const act = useCallback(
    async (kind: Exclude<PushBusy, null | "push">, path: string) => {
      setBusy(kind);
      setFeedback(null);
      try {
        const r = await apiFetch<C & { push?: { deviceRevision: number; noop: boolean }; sync?: { drift: Record<string, unknown> } }>(`${base}${path}`, { method: "POST" });
        const { push, sync, ...next } = r;
        onConfig(next as unknown as C);
        if (kind === "adopt") setFeedback({ kind: "adopted" });
        else if (push) setFeedback({ kind: "pushed", deviceRevision: push.deviceRevision, noop: push.noop });
        else setFeedback({ kind: "synced", deviceRevision: r.deviceRevision, drifted: Object.keys(sync?.drift ?? {}).length > 0 });
      } catch (e) {
        setFeedback(errorOf(e, kind === "sync" || kind === "adopt" ? "sync" : "push"));
        if (kind !== "sync") await reload().catch(() => {});
      } finally {
        setBusy(null);
      }
    },
    [base, onConfig, reload],
  );

  /** "Save and push": PATCH …/config; device rejections come back as field errors for the form. */
  const save = useCallback(
    async (changed: ConfigValues): Promise<SaveOutcome> => {
      setBusy("push");
      setFeedback(null);
      try {
        const r = await apiFetch<{ push: { deviceRevision: number; noop: boolean } }>(`${base}/config`, {
          method: "PATCH",
          // The revision makes a concurrent edit in the portal a 409 instead of a silent overwrite.
          json: { values: changed, revision: config.revision },
        });
        await reload();
        setFeedback({ kind: "pushed", deviceRevision: r.push.deviceRevision, noop: r.push.noop });
        return { ok: true, values: config.values };
      } catch (e) {
        setFeedback(errorOf(e, "push"));
        if (e instanceof ApiError && (e.status === 422 || e.status === 409)) {
          // Keep the form (and its field errors) as typed; only the state badge changes.
          if (e.body.code === "rejected_by_device") onConfig({ ...config, state: "push_failed" });
          return { ok: false, fields: e.body.fields };
        }
        // The desired config was stored and stays pending: show it (and Retry).
        await reload().catch(() => {});
        return { ok: false };
      } finally {
        setBusy(null);
      }
    },
    [base, config, onConfig, reload],
  );

  // First open of a device the portal never read: import what it really holds.
  const autoSynced = useRef(false);
  useEffect(() => {
    if (!canChange || config.syncedAt || autoSynced.current) return;
    autoSynced.current = true;
    void act("sync", "/sync");
  }, [act, canChange, config.syncedAt]);

  return {
    busy,
    feedback,
    save,
    retry: () => act("retry", "/config/push"),
    /** After a 409 (someone saved meanwhile): take the server's config, dropping the unsaved edits. */
    reload: async () => {
      setFeedback(null);
      await reload();
    },
    sync: () => act("sync", "/sync"),
    adopt: () => act("adopt", "/drift/adopt"),
    overwrite: () => act("overwrite", "/drift/overwrite"),
  };
}
