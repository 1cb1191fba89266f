import type { Decision } from '../ha/decision.js';
import type { HaInput } from '../ha/input.js';
import { clusterTimeline, type ClusterSnapshot } from '../model/cluster.js';
import type { LocalPgState } from '../model/local-pg.js';
import type { Lsn } from '../model/lsn.js';
import type { DecisionInputs, DecisionRecord, PeerPosition } from './entry.js';

/**
 * One cycle's decision as the journal keeps it: the reason, the sentence, and the inputs that
 * decided it. Only names, positions and flags are taken from the input (never a conn_url, so no
 * password can reach the journal). `previousLockOwner` is the holder the caller last saw.
 */
export function decisionRecord(
  input: HaInput,
  decision: Decision,
  previousLockOwner: string | null,
): DecisionRecord {
  return {
    member: input.self.name,
    reason: decision.reason,
    sentence: decision.info,
    inputs: decisionInputs(input, decision, previousLockOwner),
    race: decision.race,
    log: decision.log.map((l) => l.message),
    actions: decision.actions.map((a) => a.type),
  };
}

function decisionInputs(
  input: HaInput,
  decision: Decision,
  previousLockOwner: string | null,
): DecisionInputs {
  const cluster = input.dcs.reachable ? input.dcs.cluster : null;
  const lsn = ownPosition(input.pg);
  const leaderLsn = cluster?.lastLsn ?? 0;
  const leaseLeft = decision.memory.leaderUntil - input.now;
  const f = cluster?.failover ?? null;
  const hasFailover = f !== null && (f.leader !== null || f.candidate !== null);
  return {
    dcsReachable: input.dcs.reachable,
    lockOwner: cluster?.leader?.name ?? null,
    previousLockOwner,
    leaseLeftMs: leaseLeft > 0 ? leaseLeft : null,
    role: decision.memory.role,
    pgState: input.pg.state,
    timeline: input.pg.timeline,
    clusterTimeline: cluster === null ? null : clusterTimeline(cluster) || null,
    lsn,
    leaderLsn,
    lagBytes: lag(leaderLsn, lsn),
    bestPeer: bestPeer(input, decision, cluster, leaderLsn),
    failover: hasFailover
      ? { leader: f.leader, candidate: f.candidate, scheduledAt: f.scheduledAt }
      : null,
    paused: decision.paused,
    sync: {
      synchronousMode: input.settings.synchronousMode,
      leader: cluster?.sync.leader ?? null,
      standbys: cluster?.sync.syncStandbys ?? [],
    },
    inFlight: input.inFlight?.action ?? null,
  };
}

/** `last_operation()`: a primary's current position, a replica's max(received, replayed). */
export function ownPosition(pg: LocalPgState): Lsn | null {
  if (pg.postmasterRunning && pg.inRecovery === false) return pg.walPosition;
  if (pg.receiveLsn === null && pg.replayLsn === null) return null;
  return Math.max(pg.receiveLsn ?? 0, pg.replayLsn ?? 0);
}

function lag(leaderLsn: Lsn, lsn: Lsn | null): number | null {
  return leaderLsn > 0 && lsn !== null ? Math.max(0, leaderLsn - lsn) : null;
}

/**
 * The other member with the most WAL: from the peers the race asked this cycle (fresh), else
 * from the positions members publish in their keys.
 */
function bestPeer(
  input: HaInput,
  decision: Decision,
  cluster: ClusterSnapshot | null,
  leaderLsn: Lsn,
): PeerPosition | null {
  // The lock holder is who we follow, not a peer we compete with.
  const skip = new Set([input.self.name, cluster?.leader?.name ?? '']);
  const raced = (decision.race?.peers ?? []).map((p) => ({ name: p.name, lsn: p.wal }));
  const published = (cluster?.members ?? []).map((m) => ({ name: m.name, lsn: m.xlogLocation }));
  const pool = (raced.some((p) => p.lsn !== null) ? raced : published).filter(
    (p) => !skip.has(p.name) && p.lsn !== null,
  );
  let best: { name: string; lsn: Lsn | null } | null = null;
  for (const p of pool) if (best === null || (p.lsn ?? 0) > (best.lsn ?? 0)) best = p;
  return best === null ? null : { ...best, lagBytes: lag(leaderLsn, best.lsn) };
}
