// Which phones this process polls when several portal processes (web, `npm run worker`) share one database.
// The fleet is cut into POLL_SHARDS shards by a hash of the device id, and the shards are dealt out among the
// processes that poll, in a fixed order: shard s belongs to the poller at rank s mod n. The pollers and their order
// come from PostgreSQL itself — every process tags its connections with its start time (lib/db/presence), and
// pg_stat_activity lists exactly the live ones, oldest process first — so a process killed even with SIGKILL drops off the list the moment its
// sockets close, and the others deal its shards among themselves at their next window. No lease to renew, nothing
// handed over while membership stays the same: each phone is polled by exactly one process per interval.
//
// (A pg-boss job per shard and window was tried first: ownership moved between processes every window, and under
// CPU starvation a late window left shards unpolled or polled twice — tests/workers/sharding.test.ts caught both.)
import "server-only";
import type { Db } from "@/lib/db";
import { liveProcesses, processTag, type LiveProcess } from "@/lib/db/presence";

/** Stable shard of a device id (FNV-1a over the id's characters). */
export function shardOf(deviceId: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < deviceId.length; i++) {
    h ^= deviceId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % shards;
}

/** The shards of the poller at `rank` among `pollers` (round-robin, so shares differ by at most one). */
export function shardsOfRank(shards: number, rank: number, pollers: number): Set<number> {
  const owned = new Set<number>();
  for (let s = 0; s < shards; s++) if (pollers <= 1 || s % pollers === rank) owned.add(s);
  return owned;
}

/** This process's rank among the live pollers (oldest first), or null when it is not listed. */
export function rankOf(live: LiveProcess[], me: { pid: number; host: string }): { rank: number; pollers: number } | null {
  const pollers = live.filter((p) => p.poller).sort((a, b) => a.startedAt - b.startedAt || a.host.localeCompare(b.host) || a.pid - b.pid);
  const rank = pollers.findIndex((p) => p.pid === me.pid && p.host === me.host);
  return rank < 0 ? null : { rank, pollers: pollers.length };
}

export interface ShardLease {
  readonly shards: number;
  /** Called once per poll window: the shards this process polls in it. */
  renew(): Promise<ReadonlySet<number>>;
}

export function presenceShards(options: { db: Db; shards: number }): ShardLease {
  const { db, shards } = options;
  const me = processTag();
  return {
    shards,
    async renew() {
      const r = rankOf(await liveProcesses(db), me);
      // Not listed (its own tag not seen yet, or tagged as not polling): poll everything rather than nothing.
      return r ? shardsOfRank(shards, r.rank, r.pollers) : shardsOfRank(shards, 0, 1);
    },
  };
}
