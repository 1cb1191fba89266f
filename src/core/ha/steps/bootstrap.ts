import { byCodePoint } from '../../model/code-point-order.js';
import type { Member } from '../../model/member.js';
import type { Cycle } from '../context.js';
import { INFO, TASK } from '../info.js';
import { followTargetOf } from '../input.js';
import { remoteTarget } from '../standby.js';
import { nodeToFollow } from './following.js';
import { ensureCheckpointAfterPromote } from './holding-lock.js';
import { reason, sentence, type Reason } from '../reason.js';

/** `Ha.sysid_valid`: a system identifier is a string of at least 10 digits. */
export function sysidValid(sysid: string | null): boolean {
  return sysid !== null && /^\d{10,}$/.test(sysid);
}

/**
 * The member to clone from (§10.1): a running member tagged `clonefrom` with a conn_url, else
 * the leader. Patroni picks one at random; we take the first by name so every run is the same.
 */
function cloneSource(c: Cycle, leader: Member): Member {
  const tagged = c.cluster.members
    .filter((m) => m.name !== c.me && m.name !== leader.name && m.tags.clonefrom)
    .filter((m) => m.connUrl !== null && m.state === 'running')
    .sort((a, b) => byCodePoint(a.name, b.name));
  return tagged[0] ?? leader;
}

/** `Ha.bootstrap()` (§10.1): the data directory is empty. */
function bootstrap(c: Cycle): Reason {
  const leader = c.cluster.leader;
  if (leader !== null && leader.name !== c.me) {
    const source = cloneSource(c, leader.member);
    const kind = source.name === leader.name ? 'leader' : 'replica';
    const after = nodeToFollow(c);
    c.memory.rewind = 'initial';
    c.memory.upstream = { connUrl: after?.connUrl ?? null };
    c.add({
      type: 'cloneFrom',
      source: followTargetOf(source),
      followAfter: after,
      task: TASK.bootstrapFrom(kind, source.name),
      replicaMethods: c.standby?.createReplicaMethods ?? null,
    });
    return INFO.tryingBootstrapFrom(kind, source.name);
  }
  if (c.cluster.initialize === null && !c.nofailover && c.input.local.bootstrapConfigured) {
    if (!c.raceInitialize()) return INFO.failedInitializeLock;
    c.memory.bootstrapping = true;
    if (c.standby !== null) {
      // A standby cluster's first member clones the remote primary and follows it (§17).
      const remote = remoteTarget(c.standby);
      c.memory.upstream = { connUrl: remote.connUrl };
      c.add({
        type: 'cloneFrom',
        source: remote,
        followAfter: remote,
        task: TASK.bootstrapStandby,
        replicaMethods: c.standby.createReplicaMethods,
      });
      return INFO.tryingBootstrapStandby;
    }
    c.add({ type: 'bootstrapNewCluster', task: 'bootstrap' });
    return INFO.tryingBootstrapNew;
  }
  if (c.input.local.replicaMethodWithoutLeader && c.cluster.initialize !== '') {
    c.memory.rewind = 'initial';
    c.add({
      type: 'cloneFrom',
      source: null,
      followAfter: null,
      task: TASK.bootstrapWithoutLeader,
      replicaMethods: null,
    });
    return INFO.tryingBootstrapWithoutLeader;
  }
  return c.standby !== null ? INFO.waitingStandbyLeaderBootstrap : INFO.waitingLeaderBootstrap;
}

/** Row 10 of §5.1: the data directory is empty or cannot be read. */
export function emptyDataDir(c: Cycle): Reason {
  const error = c.input.pg.dataDirError ?? null;
  c.memory.role = 'uninitialized';
  c.memory.upstream = null;
  if (c.pgRunning) {
    c.add({
      type: 'stopPostgres',
      mode: 'immediate',
      timeoutSeconds: c.input.settings.retryTimeout,
    });
  }
  // In case the data directory went away while we were the primary.
  c.disableWatchdog();
  if (c.hasLock) {
    c.add({ type: 'releaseLeaderLock', lastLsn: null });
    c.clearLeader();
    return error === null ? INFO.releasedEmptyDataDir : reason('releasedDataDirNotAccessible');
  }
  if (error !== null) return reason('dataDirNotAccessible', { error });
  if (c.paused) return INFO.runningEmptyDataDir;
  return bootstrap(c);
}

/**
 * Row 11 of §5.1: the data directory belongs to some cluster; check it is ours, or adopt it when
 * the DCS has never been initialized. A sentence ends the cycle; null goes on.
 */
export function checkSystemId(c: Cycle): Reason | null {
  const sysid = c.input.pg.systemIdentifier ?? '';
  if (!sysidValid(sysid)) return INFO.invalidSysid;
  const init = c.cluster.initialize;
  if (sysidValid(init) && init !== sysid) {
    if (!c.paused) {
      const why = reason('sysidMismatch', { me: c.me, initialize: init ?? '', sysid });
      c.add({ type: 'exit', code: 1, message: sentence(why) });
      return why;
    }
    c.say(
      'warning',
      `system ID has changed while in paused mode. Patroni will exit when resuming unless system ID is reset: ${init} != ${sysid}`,
    );
    if (c.hasLock) {
      c.add({ type: 'releaseLeaderLock', lastLsn: null });
      c.clearLeader();
      return INFO.releasedSysidMismatch;
    }
  } else if (!sysidValid(init) && c.cluster.leader === null && !c.paused) {
    if (!c.memory.startCallbackFired && c.pgRunning && !c.pgPrimary) {
      const why = reason('replicaWithoutInitialize');
      c.say('error', sentence(why));
      c.say('error', 'Please first start Patroni on the node running as primary');
      c.add({ type: 'exit', code: 1, message: sentence(why) });
      return why;
    }
    c.add({ type: 'setInitialize', sysid, createNew: init === null });
  }
  return null;
}

/** `Ha.post_bootstrap()` (§10.3): cycles after we won the initialize race. */
export function postBootstrap(c: Cycle): Reason {
  const done = c.input.finished;
  const ours: readonly string[] = [TASK.bootstrap, TASK.postBootstrap, TASK.bootstrapStandby];
  const failed = done !== null && !done.ok && ours.includes(done.action);
  // A standby leader has no post_bootstrap: its clone is the whole bootstrap (§17).
  const standbyDone = done?.action === TASK.bootstrapStandby;
  if (!c.pgRunning || failed) {
    c.say('info', 'removing initialize key after failed attempt to bootstrap the cluster');
    c.memory.bootstrapping = false;
    c.add({ type: 'cancelBootstrap' });
    return reason('bootstrapFailed');
  }
  if (done?.action !== TASK.postBootstrap && !standbyDone) {
    if (!c.pgPrimary) return INFO.waitingEndOfRecovery;
    c.memory.role = 'primary';
    c.add({ type: 'postBootstrap', task: 'post_bootstrap' });
    return INFO.runningPostBootstrap;
  }
  c.memory.bootstrapping = false;
  if (!c.activateWatchdog()) {
    c.say('error', 'Cancelling bootstrap because watchdog activation failed');
    c.add({ type: 'cancelBootstrap' });
    return reason('bootstrapFailed');
  }
  if (standbyDone) c.memory.role = 'standby_leader';
  const sysid = c.input.pg.systemIdentifier ?? '';
  c.add(
    { type: 'setInitialize', sysid, createNew: c.cluster.initialize === null },
    { type: 'writeDynamicConfig' },
    { type: 'takeLeader' },
  );
  c.setLeader();
  c.memory.startCallbackFired = true;
  c.memory.rewind = 'initial';
  ensureCheckpointAfterPromote(c);
  return INFO.initializedNewCluster;
}
