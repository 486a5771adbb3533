// A typed event bus. The poller, the job runner and the proxy prober publish here and the SSE route fans the events
// out to browsers. With a relay set (lib/events/relay.ts: PostgreSQL LISTEN/NOTIFY) every event also reaches the
// other portal processes on the same database — a worker's status change shows in every web process's streams.
// Kept free of "server-only" so vitest can load it; the app imports it through ./index.
import { EventEmitter } from "node:events";
import type { ProxyEvent, StatusEvent } from "./schemas";

export type { ProxyEvent, StatusEvent };

/** Progress of a bulk job (published by the jobs runner). */
export interface JobEvent {
  jobId: string;
  state: string;
  done: number;
  total: number;
  [key: string]: unknown;
}

export interface Topics {
  status: StatusEvent;
  job: JobEvent;
  proxy: ProxyEvent;
}
export type Topic = keyof Topics;

/** Carries published events to the other portal processes (lib/events/relay: PostgreSQL NOTIFY). */
export type Relay = (topic: Topic, event: unknown) => void;

export interface EventBus {
  /** Delivers to this process's listeners and, when a relay is set, to every other portal process. */
  publish<T extends Topic>(topic: T, event: Topics[T]): void;
  /** Delivers to this process's listeners only (an event relayed from another process). */
  deliver(topic: Topic, event: unknown): void;
  setRelay(relay: Relay | null): void;
  /** Returns the unsubscribe function. */
  subscribe<T extends Topic>(topic: T, listener: (event: Topics[T]) => void): () => void;
  listenerCount(topic: Topic): number;
}

export function createEventBus(): EventBus {
  const emitter = new EventEmitter();
  // Every open SSE stream is a listener; thousands of browsers are legitimate.
  emitter.setMaxListeners(0);
  let relay: Relay | null = null;
  const deliver = (topic: Topic, event: unknown) => {
    // A throwing listener must not break the publisher (the poller) or the other listeners.
    for (const listener of emitter.listeners(topic)) {
      try {
        (listener as (e: unknown) => void)(event);
      } catch {
        /* listener's own problem; SSE listeners drop their stream themselves */
      }
    }
  };
  return {
    publish(topic, event) {
      deliver(topic, event);
      relay?.(topic, event);
    },
    deliver,
    setRelay(r) {
      relay = r;
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
