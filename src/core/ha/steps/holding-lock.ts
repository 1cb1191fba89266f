import type { Cycle } from '../context.js';
import { FAILED_TO_UPDATE_LOCK, INFO } from '../info.js';
import { demote } from './demote.js';
import { follow } from './following.js';
import { manualFailoverFromLeader } from './manual-failover.js';
import { processSyncReplication, resetSyncStandbyNames, syncMode } from './sync.js';
import type { Reason } from '../reason.js';

/** `update_cluster_history()` (§12): publish the timeline history when DCS lags behind. */
function updateClusterHistory(c: Cycle): void {
  const tl = c.input.pg.timeline;
  if (tl === null) return;
  const lines = c.cluster.history?.lines ?? null;
  if (tl === 1) {
    if (lines !== null && lines.length > 0) c.add({ type: 'writeHistory', timeline: 1 });
    return;
  }
  const last = lines?.[lines.length - 1];
  if (last === undefined || last[0] !== tl - 1 || last.length !== 5) {
    c.add({ type: 'writeHistory', timeline: tl });
  }
}

/**
 * `ensure_checkpoint_after_promote()` (§11.4): followers may only pg_rewind from us once a
 * CHECKPOINT on the new timeline has run; until then our member key says so.
 */
export function ensureCheckpointAfterPromote(c: Cycle): void {
  if (c.memory.rewind !== 'initial' || !c.pgPrimary) return;
  const pg = c.input.pg;
  if (pg.timeline !== null && pg.checkpointTimeline === pg.timeline) {
    c.memory.rewind = 'checkpoint';
    c.memory.checkpointRequested = false;
    c.memory.checkpointRequestedAt = null;
  } else if (
    !c.memory.checkpointRequested ||
    c.now - (c.memory.checkpointRequestedAt ?? 0) >= c.ttlMs
  ) {
    c.add({ type: 'checkpoint' });
    c.memory.checkpointRequested = true;
    c.memory.checkpointRequestedAt = c.now;
  }
}

/** `enforce_primary_role(message, promote_message)` (§5.6); the caller holds the lock. */
export function enforcePrimaryRole(c: Cycle, message: Reason, promoteMessage: Reason): Reason {
  if (!c.paused && !c.activateWatchdog()) {
    // `required`: a primary whose hang nothing would stop must not hold the lock.
    if (c.pgPrimary) {
      demote(c, 'immediate', c);
      return INFO.demotingNoWatchdog;
    }
    c.add({ type: 'releaseLeaderLock', lastLsn: null });
    c.clearLeader();
    return INFO.notPromotingNoWatchdog;
  }
  const finished = c.input.finished;
  if (!c.paused && finished?.action === 'promote' && !finished.ok) {
    c.say('warning', 'Releasing the leader key voluntarily because the pre-promote script failed');
    c.memory.prePromoteFailedAt = c.now;
    c.add({ type: 'releaseLeaderLock', lastLsn: null });
    c.clearLeader();
    return INFO.promotionCancelled;
  }
  if (c.pgPrimary) {
    c.memory.role = 'primary';
    processSyncReplication(c);
    updateClusterHistory(c);
    ensureCheckpointAfterPromote(c);
    return message;
  }
  if (c.memory.role === 'primary' || c.memory.role === 'promoted') {
    processSyncReplication(c);
    return message;
  }
  if (syncMode(c)) {
    // Claim /sync first: a standby that was never synchronous must not look like one to peers.
    if (!c.writeSyncState([])) return INFO.postponingPromotion;
    resetSyncStandbyNames(c, true);
  }
  if (c.memory.rewind !== 'initial')
    c.say('info', 'cleared rewind state after becoming the leader');
  c.memory.rewind = 'initial';
  c.memory.prePromoteFailedAt = null;
  c.add({ type: 'promote', task: 'promote' });
  return promoteMessage;
}

/** `process_healthy_cluster()` (§5.4): a leader exists; it is us or someone else. */
export function processHealthyCluster(c: Cycle): Reason {
  const leader = c.cluster.leader?.name ?? 'None';
  c.say('info', `Lock owner: ${leader}; I am ${c.me}`);
  if (!c.hasLock) {
    if (c.standby !== null) {
      return follow(c, INFO.standbyNotPrimary, INFO.standbyReplica(c.me, leader));
    }
    return follow(c, INFO.demotingNoLock, INFO.healthyReplica(c.me, leader));
  }
  if (c.paused && !c.pgPrimary) {
    if (c.cluster.failover?.candidate === c.me) return INFO.waitingPromote;
    if (c.standby === null) {
      c.add({ type: 'releaseLeaderLock', lastLsn: null });
      c.clearLeader();
      return INFO.removedLockNotPrimary;
    }
  }
  if (c.refreshLock()) {
    const msg = manualFailoverFromLeader(c);
    if (msg !== null) return msg;
    if (c.standby !== null) {
      const ok =
        c.memory.role === 'standby_leader' ? INFO.standbyLeader(c.me) : INFO.standbyPromotedHadLock;
      return follow(c, INFO.standbyNotPrimaryLocked, ok);
    }
    return enforcePrimaryRole(c, INFO.healthyLeader(c.me), INFO.promotedHadLock);
  }
  c.say('error', FAILED_TO_UPDATE_LOCK);
  if (c.pgPrimary) {
    if (c.paused) return INFO.continuePrimaryLockFailed;
    demote(c, 'immediate-nolock', c);
    return INFO.demotedLockFailed;
  }
  return INFO.notPromotingLockFailed;
}
