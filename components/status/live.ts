"use client";
// One EventSource per browser tab, shared by every component that shows live status (opened by the first
// subscriber, closed with the last). Status events override the REST snapshot per device; after a lost stream
// the overrides are dropped and subscribers refetch their snapshot (events may have been missed meanwhile).
import { useEffect, useRef, useSyncExternalStore } from "react";
import { parseEvent } from "@/components/api/events";
import { statusEventSchema, type StatusEvent } from "@/lib/events/schemas";
import type { ProxyRole, RegistrationState } from "@/lib/states";

export type { ProxyRole, RegistrationState };

/** What the device list carries per device (null: not polled yet). */
export interface StatusBrief {
  state: RegistrationState;
  proxy: ProxyRole | null;
  since: string;
}

/** A `status` event as streamed (lib/events/schemas). */
export type LiveStatusEvent = StatusEvent;

/** idle: no subscriber; connecting: first connect; live: stream open; reconnecting: lost, trying again. */
export type Connection = "idle" | "connecting" | "live" | "reconnecting";

const EVENTS_URL = "/api/v1/events";
const MAX_RETRY_MS = 30_000;

/** Per device the newest event's status; null: the newest event said nothing is known. */
const overrides = new Map<string, StatusBrief | null>();
/**
 * Per device when (this tab's clock, ISO) an event reported a status the phone itself gave: the poller publishes one
 * right after the answer, so it is an answer as fresh as the event (unreachable / null events are not answers).
 */
const answers = new Map<string, string>();
const listeners = new Set<() => void>();
const reconnectListeners = new Set<() => void>();
const eventListeners = new Set<(e: LiveStatusEvent) => void>();
let connection: Connection = "idle";
let source: EventSource | null = null;
let users = 0;
let everOpen = false;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
let retryMs = 1_000;

function notify(): void {
  for (const l of listeners) l();
}
function setConnection(next: Connection): void {
  if (connection === next) return;
  connection = next;
  notify();
}

function open(): void {
  source = new EventSource(EVENTS_URL);
  // The server sends `ready` first on every (re)connect.
  source.addEventListener("ready", () => {
    retryMs = 1_000;
    const wasOpen = everOpen;
    everOpen = true;
    setConnection("live");
    if (wasOpen) {
      overrides.clear();
      answers.clear();
      notify();
      for (const l of reconnectListeners) l();
    }
  });
  source.addEventListener("status", (message) => {
    const event = parseEvent(statusEventSchema, message);
    if (!event) return; // not ours to crash on
    overrides.set(event.deviceId, event.state === null ? null : { state: event.state, proxy: event.proxy, since: event.since });
    if (event.state !== null && event.state !== "unreachable") answers.set(event.deviceId, new Date().toISOString());
    for (const l of eventListeners) l(event);
    notify();
  });
  source.onerror = () => {
    setConnection(everOpen ? "reconnecting" : "connecting");
    // CONNECTING: the browser retries by itself (server's `retry:`). CLOSED (an HTTP error, e.g. a restart
    // answering 502): retry ourselves with backoff.
    if (source?.readyState === EventSource.CLOSED) {
      source.close();
      source = null;
      retryTimer = setTimeout(() => {
        retryTimer = null;
        if (users > 0) open();
      }, retryMs);
      retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
    }
  };
}

function acquire(): void {
  users += 1;
  if (users === 1) {
    setConnection("connecting");
    open();
  }
}
function release(): void {
  users -= 1;
  if (users > 0) return;
  source?.close();
  source = null;
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = null;
  everOpen = false;
  overrides.clear();
  answers.clear();
  setConnection("idle");
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Keeps the shared stream open while mounted. `onReconnect` runs after the stream recovers (refetch the
 * snapshot there); `onEvent` sees every status event. Returns the connection state.
 */
export function useLiveStatus(options: { onReconnect?: () => void; onEvent?: (e: LiveStatusEvent) => void } = {}): Connection {
  const ref = useRef(options);
  useEffect(() => {
    ref.current = options;
  });
  useEffect(() => {
    const onReconnect = () => ref.current.onReconnect?.();
    const onEvent = (e: LiveStatusEvent) => ref.current.onEvent?.(e);
    reconnectListeners.add(onReconnect);
    eventListeners.add(onEvent);
    acquire();
    return () => {
      reconnectListeners.delete(onReconnect);
      eventListeners.delete(onEvent);
      release();
    };
  }, []);
  return useSyncExternalStore(subscribe, () => connection, () => "idle" as Connection);
}

/** A device's status: the newest live event if one arrived since the snapshot, else the snapshot's. */
export function useDeviceStatus(deviceId: string, snapshot: StatusBrief | null): StatusBrief | null {
  const live = useSyncExternalStore(
    subscribe,
    () => overrides.get(deviceId),
    () => undefined,
  );
  return live === undefined ? snapshot : live;
}

/** When a live event last showed the phone answering (see `answers`); undefined: none since the snapshot. */
export function useLiveAnswerAt(deviceId: string): string | undefined {
  return useSyncExternalStore(
    subscribe,
    () => answers.get(deviceId),
    () => undefined,
  );
}
