import type { Lsn } from '../model/lsn.js';
import { byCodePoint } from '../model/code-point-order.js';
import { failoverLimitation, type PeerStatus } from './peer-status.js';
import { outranks, peerSentence, type PeerVerdict } from './race.js';

/** A member that might take over, with the status document it answered. */
export interface Candidate {
  readonly name: string;
  readonly status: PeerStatus | null;
}

/** The yardsticks a candidate is measured against (from the snapshot and settings). */
export interface Yardstick {
  /** `/status.optime` of the leader; 0 = unknown, nobody counts as lagging. */
  readonly clusterLsn: Lsn;
  readonly maximumLagOnFailover: number;
  /** Cluster timeline from `/history` (0 = unknown) when `check_timeline` is on, else null. */
  readonly clusterTimeline: number | null;
  /** `is_failover_possible(cluster_lsn=…)`: the exact position a candidate must have reached. */
  readonly mustReach?: Lsn;
}

/** Why a candidate cannot take over (Patroni's log wording after `Member <n> `), or null. */
export function disqualification(c: Candidate, y: Yardstick): string | null {
  const limitation = failoverLimitation(c.status);
  if (limitation !== null) return `is ${limitation}`;
  const wal = c.status?.walPosition ?? null;
  if (wal === null) return 'does not report wal_position';
  const lagging = y.mustReach !== undefined ? wal < y.mustReach : isLagging(wal, y);
  if (lagging) return 'exceeds maximum replication lag';
  const tl = c.status?.timeline ?? null;
  if (y.clusterTimeline !== null && (tl === null || tl < y.clusterTimeline)) {
    return `timeline ${tl ?? 'unknown'} is behind the cluster timeline ${y.clusterTimeline}`;
  }
  return null;
}

/** `last_lsn - wal > maximum_lag_on_failover`, with an unknown `last_lsn` never lagging. */
export function isLagging(wal: Lsn, y: Yardstick): boolean {
  return y.clusterLsn > 0 && y.clusterLsn - wal > y.maximumLagOnFailover;
}

/**
 * Orders failover candidates best first. Each clause decides only when the earlier ones tie.
 * Used to pick and to explain; the race itself stays Patroni's pairwise rule (`peerOutranks`).
 */
export function compareCandidates(a: Candidate, b: Candidate, y: Yardstick): number {
  return (
    // Anyone allowed and able to promote beats anyone who is not: a limitation is absolute.
    rank(disqualification(a, y) === null) - rank(disqualification(b, y) === null) ||
    // The most WAL wins: promoting a node that has less loses acknowledged transactions.
    (b.status?.walPosition ?? -1) - (a.status?.walPosition ?? -1) ||
    // A newer timeline wins: the node on the older one would need a rewind to follow.
    (b.status?.timeline ?? -1) - (a.status?.timeline ?? -1) ||
    // failover_priority (3.2+) breaks exact ties: operators prefer some hosts.
    (b.status?.failoverPriority ?? 0) - (a.status?.failoverPriority ?? 0) ||
    // Names make the order total, so every node computes the same ranking.
    byCodePoint(a.name, b.name)
  );
}

function rank(good: boolean): number {
  return good ? 0 : 1;
}

/**
 * Patroni's pairwise race rule (`_is_healthiest_node` step 5, spec/core.md §6.2): how a peer
 * compares with me. Unreachable and ineligible peers never outrank me (`outranks`).
 */
export function peerVerdict(peer: PeerStatus | null, myWal: Lsn, myPriority: number): PeerVerdict {
  if (peer === null) return { kind: 'unreachable' };
  if (peer.nofailover) return { kind: 'nofailover' };
  if (peer.watchdogFailed) return { kind: 'watchdogFailed' };
  // A live primary means there is nothing to fail over to (or a split brain to avoid).
  if (peer.isPrimary) return { kind: 'primaryAlive' };
  const wal = peer.walPosition ?? 0;
  // Whoever has more WAL must win, or acknowledged commits would be lost.
  if (wal > myWal) return { kind: 'walAhead', wal, myWal };
  // Equal WAL: the operator's failover_priority decides (3.2+).
  if (wal === myWal && peer.failoverPriority > myPriority) {
    return { kind: 'betterPriority', priority: peer.failoverPriority, myPriority };
  }
  if (wal < myWal) return { kind: 'walBehind', wal, myWal };
  return { kind: 'notBetter', wal, priority: peer.failoverPriority };
}

/** Patroni's log sentence when a peer makes me step aside, or null (`peerVerdict` rendered). */
export function peerOutranks(
  name: string,
  peer: PeerStatus | null,
  myWal: Lsn,
  myPriority: number,
): string | null {
  const verdict = peerVerdict(peer, myWal, myPriority);
  return outranks(verdict) ? peerSentence(name, verdict) : null;
}
