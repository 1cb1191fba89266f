import { clusterAsJson } from '../../core/health/cluster-json.js';
import type { NodeView } from '../../core/health/node-view.js';
import { clusterTimeline, type ClusterSnapshot } from '../../core/model/cluster.js';
import { formatLsn } from '../../core/model/lsn.js';

/** One member row, as `patronictl list` shows it (from Patroni's `cluster_as_json`). */
export interface MemberRow {
  readonly name: string;
  /** `leader`, `standby_leader`, `sync_standby` or `replica`. */
  readonly role: string;
  readonly state: string;
  readonly host: string | null;
  readonly port: number | null;
  readonly timeline: number | null;
  /** Bytes behind the leader; `unknown` when the member published no position; null: leader. */
  readonly lag: number | 'unknown' | null;
  readonly tags: Readonly<Record<string, unknown>>;
  readonly pendingRestart: boolean;
  readonly scheduledRestart: string | null;
}

/** One line of the `history` key: the timeline that ended, where, why, when, and who took over. */
export interface HistoryRow {
  readonly timeline: number;
  readonly lsn: string;
  readonly reason: string;
  readonly at: string | null;
  readonly newLeader: string | null;
}

export interface LeaseInfo {
  readonly holder: string | null;
  /** `ttl` of the leader key, seconds. */
  readonly ttl: number;
  /**
   * Epoch ms at which the lock's last valid moment falls unless renewed, when this node knows
   * it: the holder, from its lease keeper's count (the same as GET /patroni's
   * `lease_remaining` and the lease gauge of /metrics); null elsewhere.
   */
  readonly expiresAt: number | null;
}

/** Everything the page shows, sent whole on every change (a few KB for a normal cluster). */
export interface DashboardState {
  readonly scope: string;
  /** The member serving this page. */
  readonly servedBy: string;
  /** Epoch ms at which this state was made: the page counts the lease down from it. */
  readonly generatedAt: number;
  /** false once the DCS has been unreachable for a whole ttl (no cached cluster left). */
  readonly dcsReachable: boolean;
  readonly leader: string | null;
  readonly timeline: number;
  readonly paused: boolean;
  readonly lease: LeaseInfo;
  readonly members: readonly MemberRow[];
  readonly history: readonly HistoryRow[];
  /** A pending manual failover or (scheduled) switchover from the `failover` key. */
  readonly failover: {
    readonly leader: string | null;
    readonly candidate: string | null;
    readonly scheduledAt: string | null;
  } | null;
  readonly syncStandbys: readonly string[];
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

function memberRow(json: Readonly<Record<string, unknown>>): MemberRow {
  const lag = json['lag'];
  const tags = json['tags'];
  const restart = json['scheduled_restart'];
  return {
    name: String(json['name']),
    role: String(json['role']),
    state: str(json['state']) ?? '',
    host: str(json['host']),
    port: num(json['port']),
    timeline: num(json['timeline']),
    lag: typeof lag === 'number' || lag === 'unknown' ? lag : null,
    tags: typeof tags === 'object' && tags !== null ? (tags as Record<string, unknown>) : {},
    pendingRestart: json['pending_restart'] === true,
    scheduledRestart:
      typeof restart === 'object' && restart !== null
        ? str((restart as Record<string, unknown>)['schedule'])
        : null,
  };
}

function historyRows(cluster: ClusterSnapshot): HistoryRow[] {
  return (cluster.history?.lines ?? []).map(([timeline, lsn, reason, at, newLeader]) => ({
    timeline,
    lsn: formatLsn(lsn),
    reason,
    at: at ?? null,
    newLeader: newLeader ?? null,
  }));
}

/** The cluster's timeline; before any promotion there is no `history` key: the leader's own. */
function timelineOf(cluster: ClusterSnapshot): number {
  const fromHistory = clusterTimeline(cluster);
  if (fromHistory > 0) return fromHistory;
  return cluster.leader?.member.timeline ?? 0;
}

/**
 * The keeper's remaining lease laid on the wall clock: the one source of lease time, so the
 * page never counts down more lease than the leader has (a count from the last DCS read would).
 */
function leaseExpiresAt(view: NodeView, now: number): number | null {
  const left = view.leaseRemaining;
  return left === undefined || left === null ? null : now + Math.round(left * 1000);
}

/** The page's picture of the cluster, from this node's view alone (no I/O). */
export function dashboardState(view: NodeView, now: number): DashboardState {
  const cluster = view.cluster;
  const leader = cluster?.leader?.name ?? null;
  const members = cluster === null ? [] : clusterAsJson(cluster)['members'];
  const f = cluster?.failover ?? null;
  return {
    scope: view.scope,
    servedBy: view.name,
    generatedAt: now,
    dcsReachable: cluster !== null,
    leader,
    timeline: cluster === null ? 0 : timelineOf(cluster),
    paused: view.paused,
    lease: {
      holder: leader,
      ttl: view.ttl,
      expiresAt: leaseExpiresAt(view, now),
    },
    members: Array.isArray(members)
      ? members.map((m) => memberRow(m as Record<string, unknown>))
      : [],
    history: cluster === null ? [] : historyRows(cluster),
    failover:
      f === null || (f.leader === null && f.candidate === null && f.scheduledAt === null)
        ? null
        : { leader: f.leader, candidate: f.candidate, scheduledAt: f.scheduledAt },
    syncStandbys: cluster?.sync.syncStandbys ?? [],
  };
}
