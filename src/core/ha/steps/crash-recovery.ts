import type { Cycle } from '../context.js';
import { INFO, TASK } from '../info.js';
import type { FollowTarget } from '../input.js';
import { remoteTarget } from '../standby.js';
import { demote, triggerRewindCheck } from './demote.js';
import { nodeToFollow, rewindOrReinitialize } from './following.js';
import { isFailoverPossible, manualFailoverFromLeader } from './manual-failover.js';
import { resetSyncStandbyNames } from './sync.js';
import type { Reason } from '../reason.js';

/**
 * `handle_starting_instance()` (§5.8): PostgreSQL is still starting. A leader waits at most
 * `primary_start_timeout` (or the restart's own timeout) before giving the lock to a replica.
 */
export function handleStartingInstance(c: Cycle): Reason | null {
  if (c.paused) {
    c.memory.startTimeout = null;
    return null;
  }
  if (!c.hasLock) {
    c.say('info', 'Still starting up as a standby.');
    return null;
  }
  if (!c.refreshLock()) {
    demote(c, 'immediate-nolock', c);
    return INFO.stoppedLeaderKeyLost;
  }
  const timeout = c.memory.startTimeout ?? c.input.settings.primaryStartTimeout;
  const since = c.memory.startingSince ?? c.now;
  const timeLeft = timeout - (c.now - since) / 1000;
  if (timeLeft <= 0) {
    if (isFailoverPossible(c, c.cluster.members)) {
      demote(c, 'immediate', c);
      return INFO.stoppedStartupTimeout;
    }
    return INFO.startTimedOutWaiting;
  }
  return manualFailoverFromLeader(c) ?? INFO.stillStarting(Math.round(timeLeft));
}

/**
 * Row 9 of §5.1 (`post_recover`): we started PostgreSQL after a failure or restart; if it did not
 * come up, a lock holder gives the lock away instead of sitting on a dead primary.
 */
export function afterRecovery(c: Cycle): Reason | null {
  c.memory.recovering = false;
  if (!c.pgRunning) c.disableWatchdog();
  if (c.memory.rewind !== 'need' && !c.pgRunning) {
    if (c.hasLock) {
      if (c.memory.role === 'primary' || c.memory.role === 'standby_leader') {
        c.memory.role = 'demoted';
      }
      c.add({ type: 'releaseLeaderLock', lastLsn: null });
      c.clearLeader();
      return INFO.removedKeyFailedStart;
    }
    return INFO.failedToStart;
  }
  c.memory.crashRecoveryDone = false;
  if (c.memory.rewind === 'success') c.memory.rewind = 'initial';
  return null;
}

const CRASHED_STATES = new Set(['in production', 'shutting down', 'in crash recovery']);

/** `recover()` (§5.7): PostgreSQL is not running and we are not paused. */
export function recover(c: Cycle): Reason {
  // PostgreSQL is down: no primary to guard until we promote again.
  c.disableWatchdog();
  let timeout: number | null = null;
  if (c.hasLock && c.refreshLock()) {
    timeout = c.input.settings.primaryStartTimeout;
    if (timeout === 0 && isFailoverPossible(c, c.cluster.members)) {
      c.say('info', 'Primary crashed. Failing over.');
      demote(c, 'immediate', c);
      return INFO.crashFailover;
    }
  }
  const state = c.input.pg.clusterState;
  const mayRecover = c.cluster.leader === null || c.input.local.canRewind;
  if (state !== null && CRASHED_STATES.has(state) && !c.memory.crashRecoveryDone && mayRecover) {
    c.memory.crashRecoveryDone = true;
    c.add({ type: 'crashRecovery', task: TASK.crashRecovery });
    return INFO.crashRecovery;
  }
  let msg: Reason = INFO.startingReadonly;
  let target: FollowTarget | null = null;
  let role: 'replica' | 'standby_leader' = 'replica';
  const standby = c.standby;
  if (standby !== null || !c.hasLock) {
    if (c.memory.rewind !== 'success' && c.memory.rewind !== 'failed') triggerRewindCheck(c);
    const rewound = rewindOrReinitialize(c);
    if (rewound !== null) return rewound;
    target = nodeToFollow(c);
    if (c.hasLock) {
      role = 'standby_leader';
      msg = INFO.standbyStartingLeader;
    } else if (standby !== null && c.cluster.leader === null) {
      target = remoteTarget(standby);
      msg = INFO.standbyFollowRemote;
    } else {
      msg = INFO.startingSecondary;
    }
    resetSyncStandbyNames(c, false);
  }
  // 3.0.2 restarts even a crashed primary in recovery and promotes it next cycle (§5.7 note).
  c.memory.role = role;
  c.memory.recovering = true;
  c.memory.upstream = { connUrl: target?.connUrl ?? null };
  c.add({
    type: 'followLeader',
    target,
    how: 'start',
    task: TASK.restartingAfterFailure,
    startTimeout: timeout,
    role,
  });
  return msg;
}

/** Row 12 of §5.1: PostgreSQL is not running. */
export function postgresNotRunning(c: Cycle): Reason {
  c.memory.upstream = null;
  if (c.paused) {
    if (c.hasLock) {
      c.add({ type: 'releaseLeaderLock', lastLsn: null });
      c.clearLeader();
      return INFO.removedLockNotRunning;
    }
    const rewindPending = c.memory.rewind === 'need' && c.input.local.canRewind;
    if (!rewindPending) return INFO.notRunning;
  }
  return recover(c);
}
