import type { ClusterSnapshot } from '../core/model/cluster.js';
import { hasFailoverRequest } from '../core/model/cluster.js';

/**
 * A change of leader seen in the DCS: `switchover` when it was asked for through the `failover`
 * key (patronictl switchover or failover, POST /switchover or /failover, scheduled ones too),
 * `failover` when the leader was lost without being asked.
 */
export interface LeaderChange {
  readonly kind: 'switchover' | 'failover';
  readonly from: string;
  readonly to: string;
  /** Epoch ms when the new leader was first seen. */
  readonly atMs: number;
  /**
   * From the request (or its scheduled time) for a switchover, from the first snapshot without
   * the old leader for a failover, to the new leader; at the resolution of this node's reads.
   */
  readonly durationMs: number;
}

/** What the watcher remembers between two snapshots. */
export interface LeaderWatch {
  /** The last leader seen holding the lock (null before the first one). */
  readonly leader: string | null;
  /** Epoch ms of the first snapshot without that leader, while none replaced it yet. */
  readonly goneAt: number | null;
  /** Epoch ms a pending request was first seen (or its scheduled time, if later). */
  readonly requestAt: number | null;
}

export const NO_LEADER_WATCH: LeaderWatch = { leader: null, goneAt: null, requestAt: null };

/**
 * Folds one snapshot into the watch; returns the change it completes, if any. The first leader
 * seen (start-up, bootstrap) is no change. Pure: the clock is passed in.
 */
export function watchLeader(
  watch: LeaderWatch,
  cluster: ClusterSnapshot,
  nowMs: number,
): { readonly watch: LeaderWatch; readonly change: LeaderChange | null } {
  const current = cluster.leader?.name ?? null;
  const requested = hasFailoverRequest(cluster);
  let requestAt = watch.requestAt;
  if (requested && requestAt === null) requestAt = Math.max(nowMs, scheduledMs(cluster) ?? 0);
  if (!requested && current !== null && current === watch.leader) requestAt = null;
  if (current === watch.leader) return { watch: { ...watch, requestAt }, change: null };
  if (current === null) {
    return { watch: { ...watch, goneAt: watch.goneAt ?? nowMs, requestAt }, change: null };
  }
  const next: LeaderWatch = { leader: current, goneAt: null, requestAt: null };
  if (watch.leader === null) return { watch: next, change: null };
  const startedAt = requestAt ?? watch.goneAt ?? nowMs;
  return {
    watch: next,
    change: {
      kind: requestAt === null ? 'failover' : 'switchover',
      from: watch.leader,
      to: current,
      atMs: nowMs,
      durationMs: Math.max(0, nowMs - startedAt),
    },
  };
}

function scheduledMs(cluster: ClusterSnapshot): number | null {
  const at = cluster.failover?.scheduledAt ?? null;
  if (at === null) return null;
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? null : ms;
}
