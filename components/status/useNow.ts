"use client";
// A clock shared by every relative time on the page ("42 sec. ago" keeps moving without a new poll): one timer per
// tab, started by the first subscriber and stopped with the last.
import { useSyncExternalStore } from "react";

const TICK_MS = 5_000;
let now = Date.now();
let timer: ReturnType<typeof setInterval> | null = null;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (!listeners.size && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** The current time in ms, re-rendering every few seconds. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, () => now, () => now);
}
