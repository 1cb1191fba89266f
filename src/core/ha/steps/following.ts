import type { Cycle } from '../context.js';
import { INFO, TASK } from '../info.js';
import { followTargetOf, type FollowTarget } from '../input.js';
import { remoteTarget } from '../standby.js';
import { demote, triggerRewindCheck } from './demote.js';
import type { Reason } from '../reason.js';

/**
 * `_get_node_to_follow` (§5.5 step 3): in a standby cluster the lock holder (or anyone while
 * nobody holds it) follows the remote primary; else the `replicatefrom` member when it exists,
 * else the leader; never ourselves.
 */
export function nodeToFollow(c: Cycle): FollowTarget | null {
  const standby = c.standby;
  if (standby !== null && (c.cluster.leader === null || c.hasLock)) return remoteTarget(standby);
  const wanted = c.input.self.tags.replicatefrom;
  let member = wanted !== undefined && wanted !== c.me ? c.member(wanted) : undefined;
  const leader = c.cluster.leader;
  if (member === undefined && leader !== null && leader.name !== c.me) member = leader.member;
  if (member === undefined) return null;
  const target = followTargetOf(member);
  if (standby === null) return target;
  const { restoreCommand, archiveCleanupCommand } = standby;
  return { ...target, archive: { restoreCommand, archiveCleanupCommand } };
}

/**
 * Whom a diverged node would rewind from, and whether it can be checked yet: the leader only
 * once it publishes the primary role (it may not have promoted yet); the remote primary of a
 * standby cluster always.
 */
function rewindSource(c: Cycle): { target: FollowTarget; checkable: boolean } | null {
  if (c.standby !== null) {
    const remote = remoteTarget(c.standby);
    return remote.connUrl === null ? null : { target: remote, checkable: true };
  }
  const leader = c.cluster.leader;
  if (leader === null || leader.name === c.me || leader.member.connUrl === null) return null;
  return { target: followTargetOf(leader.member), checkable: leader.member.role === 'primary' };
}

/**
 * `_handle_rewind_or_reinitialize` (§11.3/11.5): a sentence when a rewind, crash recovery or
 * re-clone was planned instead of following, else null.
 */
export function rewindOrReinitialize(c: Cycle): Reason | null {
  const source = rewindSource(c);
  if (source === null) return null;
  const target = source.target;
  if (c.memory.rewind === 'check' && source.checkable) {
    const verdict = c.divergence(target);
    if (verdict === 'need') c.memory.rewind = 'need';
    else if (verdict === 'notNeed') c.memory.rewind = 'notNeed';
  }
  if (c.memory.rewind !== 'need') return null;
  if (c.input.local.canRewind) {
    const crashed = !c.pgRunning && c.input.pg.clusterState === 'in archive recovery';
    if (crashed && !c.memory.crashRecoveryDone) {
      c.memory.crashRecoveryDone = true;
      c.add({ type: 'crashRecovery', task: TASK.crashRecovery });
      return INFO.crashRecovery;
    }
    const task = TASK.rewindFrom(target.name);
    c.add({ type: 'rewind', from: target, task });
    c.memory.rewindTask = task;
    return INFO.rewindFrom(target.name);
  }
  if (c.input.settings.removeDataDirectoryOnDivergedTimelines && c.standby === null) {
    c.add({ type: 'reinitialize', from: target, task: TASK.reinitDiverged });
    c.memory.rewind = 'initial';
    return INFO.reinitDiverged;
  }
  return null;
}

function sameUpstream(c: Cycle, target: FollowTarget | null): boolean {
  return c.memory.upstream !== null && c.memory.upstream.connUrl === (target?.connUrl ?? null);
}

/**
 * `check_recovery_conf` + re-point (§5.5 step 10): when the upstream changed, rewrite the recovery
 * settings; PostgreSQL 13+ reloads `primary_conninfo`, older versions need a restart.
 */
function repoint(
  c: Cycle,
  target: FollowTarget | null,
  role: 'replica' | 'standby_leader',
): boolean {
  if (sameUpstream(c, target) || !c.pgRunning) return false;
  const reloadable = (c.input.pg.serverVersion ?? 0) >= 130000;
  c.add({
    type: 'followLeader',
    target,
    how: reloadable ? 'reload' : 'restart',
    task: reloadable ? null : TASK.changingConninfo,
    startTimeout: null,
    role,
  });
  c.memory.upstream = { connUrl: target?.connUrl ?? null };
  triggerRewindCheck(c);
  return true;
}

/**
 * The lock names a leader whose member node is missing (its address unknown) while I stream
 * from somewhere. On ZooKeeper a member deletes and re-creates its node when its state leaves
 * `running` (Patroni's touch_member), as the old primary does when a switchover stops it; a
 * replica that re-pointed to "nobody" in that gap stopped its WAL receiver while the old primary
 * still wrote its last WAL (its shutdown then waits for no one), and the candidate promoted
 * without it: acknowledged commits lost. Patroni's own full read rarely falls into the gap; a
 * watch-driven cycle does. The address comes back with the node: until then, stay put.
 */
function leaderAddressGone(c: Cycle, target: FollowTarget | null): boolean {
  const leader = c.cluster.leader;
  return (
    leader !== null &&
    target !== null &&
    target.name === leader.name &&
    target.connUrl === null &&
    (c.memory.upstream?.connUrl ?? null) !== null
  );
}

/** At most one wake a second; PostgreSQL's own retries come every `wal_retrieve_retry_interval`. */
const WAKE_INTERVAL_MS = 1000;

/**
 * Not in Patroni: a standby whose upstream went away (a leader's PostgreSQL crashed and was
 * started again, or its node came back within the ttl) retries only every
 * `wal_retrieve_retry_interval` (5 s), so writes in synchronous mode and the replica's lag wait
 * up to that long after the upstream is back. A SIGHUP wakes the startup process's wait at once;
 * planned only while the WAL receiver is down and the upstream's member says it runs, and the
 * shell sends it only if the upstream accepts a TCP connection, so a dead upstream costs nothing.
 */
function wakeWalReceiver(c: Cycle, target: FollowTarget | null): void {
  const pg = c.input.pg;
  if (target === null || target.connUrl === null || !sameUpstream(c, target)) return;
  if (!c.pgRunning || !pg.accepting || pg.inRecovery !== true || pg.walReceiverRunning !== false)
    return;
  if (c.member(target.name)?.state !== 'running') return;
  const last = c.memory.walReceiverWokenAt;
  if (last !== null && c.now - last < WAKE_INTERVAL_MS) return;
  c.memory.walReceiverWokenAt = c.now;
  c.add({ type: 'wakeWalReceiver', upstream: target });
}

/** `Ha.follow(demote_reason, follow_reason)` (§5.5). */
export function follow(c: Cycle, demoteReason: Reason, followReason: Reason): Reason {
  const target = nodeToFollow(c);
  const rewindPending = c.memory.rewind === 'need' && c.input.local.canRewind;
  if (c.paused) {
    if (!rewindPending || c.cluster.leader === null) {
      if (c.pgPrimary) {
        c.memory.role = 'primary';
        return INFO.continuePrimaryNoLock;
      }
      if (c.memory.role !== 'standby_leader') c.memory.role = 'replica';
      if (target === null) return INFO.noActionPaused(c.me);
    }
  } else if (c.pgPrimary) {
    demote(c, 'immediate-nolock', c);
    return demoteReason;
  }
  if (c.input.pg.state !== 'starting') {
    const msg = rewindOrReinitialize(c);
    if (msg !== null) return msg;
  }
  if (!c.paused && c.input.pg.replayPaused && (c.input.pg.serverVersion ?? 0) >= 140000) {
    c.say('info', 'Resuming paused WAL replay for PostgreSQL 14+');
    c.add({ type: 'resumeWalReplay' });
  }
  const role = target?.standby !== undefined && c.hasLock ? 'standby_leader' : 'replica';
  if (c.standby !== null && role === 'replica' && (target === null || target.connUrl === null)) {
    return INFO.standbyOldLeader;
  }
  const before = c.memory.role;
  c.memory.role = role;
  // A re-point tells the callbacks itself (on_role_change when the role changes with it).
  const repointed = leaderAddressGone(c, target) ? false : repoint(c, target, role);
  if (!repointed) wakeWalReceiver(c, target);
  if (role === 'standby_leader' && before !== role && !repointed) {
    c.add({ type: 'callback', name: 'on_role_change', role });
  }
  return followReason;
}
