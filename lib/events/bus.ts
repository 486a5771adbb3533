// A typed in-process event bus. Embedded mode: the poller (and later the job runner) publish here and the SSE
// route fans the events out to browsers. Scale-out path (several portal/worker processes on one PostgreSQL):
// publish through PostgreSQL LISTEN/NOTIFY instead and re-emit locally; the topic shapes stay the same.
// Kept free of "server-only" so vitest can load it; the app imports it through ./index.
import { EventEmitter } from "node:events";
import type { ProxyRole, RegistrationState } from "@/lib/db/schema";

/** A device's registration changed (written to device_status by the poller). */
export interface StatusEvent {
  deviceId: string;
  state: RegistrationState;
  proxy: ProxyRole | null;
  /** ISO time the device entered this state. */
  since: string;
  lastError: string | null;
  /** Newest transition that led here (for a toast/timeline), when there was one. */
  reason: string | null;
}

/** Progress of a bulk job (published by the jobs runner). */
export interface JobEvent {
  jobId: string;
  state: string;
  done: number;
  total: number;
  [key: string]: unknown;
}

/** A proxy was probed (lib/proxy-health): every check, with `changed` when it went up or down. */
export interface ProxyEvent {
  address: string;
  up: boolean;
  rttMs: number | null;
  checkedAt: string;
  since: string;
  changed: boolean;
  /** Why it changed (the probe's words), when it did. */
  reason: string | null;
}

export interface Topics {
  status: StatusEvent;
  job: JobEvent;
  proxy: ProxyEvent;
}
export type Topic = keyof Topics;

export interface EventBus {
  publish<T extends Topic>(topic: T, event: Topics[T]): void;
  /** Returns the unsubscribe function. */
  subscribe<T extends Topic>(topic: T, listener: (event: Topics[T]) => void): () => void;
  listenerCount(topic: Topic): number;
}

export function createEventBus(): EventBus {
  const emitter = new EventEmitter();
  // Every open SSE stream is a listener; thousands of browsers are legitimate.
  emitter.setMaxListeners(0);
  return {
    publish(topic, event) {
      // A throwing listener must not break the publisher (the poller) or the other listeners.
      for (const listener of emitter.listeners(topic)) {
        try {
          (listener as (e: unknown) => void)(event);
        } catch {
          /* listener's own problem; SSE listeners drop their stream themselves */
        }
      }
    },
    subscribe(topic, listener) {
      emitter.on(topic, listener as (e: unknown) => void);
      return () => emitter.off(topic, listener as (e: unknown) => void);
    },
    listenerCount: (topic) => emitter.listenerCount(topic),
  };
}

// One bus per process. On globalThis because Next's dev-mode reloads and separate route bundles may each load
// their own copy of this module; they must still share one bus.
const KEY = Symbol.for("sip-admin-portal.event-bus");
type Holder = { [KEY]?: EventBus };

export function eventBus(): EventBus {
  const holder = globalThis as unknown as Holder;
  return (holder[KEY] ??= createEventBus());
}
