import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { INFO } from './info.js';
import { REASON_KINDS, reason, sentence, type Reason } from './reason.js';

/**
 * Every kind with sample data and the sentence we logged before reasons were typed (Patroni
 * 3.0.2's words; the compat suite and operators grep them): rendering must stay byte-identical.
 */
const TABLE: readonly (readonly [Reason, string])[] = [
  [{ kind: 'dcsNotAccessible' }, 'DCS is not accessible'],
  [{ kind: 'demotingDcs' }, 'demoting self because DCS is not accessible and I was a leader'],
  [
    { kind: 'failsafeContinue' },
    'continue to run as a leader because failsafe mode is enabled and all members are accessible',
  ],
  [{ kind: 'healthyLeader', me: 'node2' }, 'no action. I am (node2), the leader with the lock'],
  [
    { kind: 'healthyReplica', me: 'node2', leader: 'node1' },
    'no action. I am (node2), a secondary, and following a leader (node1)',
  ],
  [{ kind: 'noActionPaused', me: 'node2' }, 'no action. I am (node2)'],
  [{ kind: 'promotedHadLock' }, 'promoted self to leader because I had the session lock'],
  [{ kind: 'acquiredLock' }, 'acquired session lock as a leader'],
  [{ kind: 'promotedAcquired' }, 'promoted self to leader by acquiring session lock'],
  [{ kind: 'demotedFailedLock' }, 'demoted self after trying and failing to obtain lock'],
  [{ kind: 'followingFailedLock' }, 'following new leader after trying and failing to obtain lock'],
  [{ kind: 'demotingNotHealthiest' }, 'demoting self because i am not the healthiest node'],
  [
    { kind: 'followingNotHealthiest' },
    'following a different leader because i am not the healthiest node',
  ],
  [{ kind: 'demotingNofailover' }, 'demoting self because I am not allowed to become primary'],
  [
    { kind: 'followingNofailover' },
    'following a different leader because I am not allowed to promote',
  ],
  [{ kind: 'demotingNoLock' }, 'demoting self because I do not have the lock and I was a leader'],
  [{ kind: 'continuePrimaryNoLock' }, 'continue to run as primary without lock'],
  [
    { kind: 'continuePrimaryLockFailed' },
    'continue to run as primary after failing to update leader lock in DCS',
  ],
  [{ kind: 'demotedLockFailed' }, 'demoted self because failed to update leader lock in DCS'],
  [{ kind: 'notPromotingLockFailed' }, 'not promoting because failed to update leader lock in DCS'],
  [
    { kind: 'removedLockNotPrimary' },
    'removed leader lock because postgres is not running as primary',
  ],
  [{ kind: 'waitingPromote' }, 'waiting to become primary after promote...'],
  [{ kind: 'promotionCancelled' }, 'Promotion cancelled because the pre-promote script failed'],
  [{ kind: 'demotingNoWatchdog' }, 'Demoting self because watchdog could not be activated'],
  [
    { kind: 'notPromotingNoWatchdog' },
    'Not promoting self because watchdog could not be activated',
  ],
  [
    { kind: 'postponingPromotion' },
    'Postponing promotion because synchronous replication state was updated by somebody else',
  ],
  [{ kind: 'updatedLockDuring', action: 'restart' }, 'updated leader lock during restart'],
  [{ kind: 'lostLockDuring', action: 'restart' }, 'lost leader lock during restart'],
  [{ kind: 'lostBeforePromote' }, 'lost leader before promote'],
  [{ kind: 'inProgress', action: 'restart' }, 'restart in progress'],
  [{ kind: 'terminatedCrashRecovery' }, 'terminated crash recovery because of startup timeout'],
  [
    { kind: 'stillStarting', seconds: 12 },
    'PostgreSQL is still starting up, 12 seconds until timeout',
  ],
  [{ kind: 'stoppedStartupTimeout' }, 'stopped PostgreSQL because of startup timeout'],
  [
    { kind: 'startTimedOutWaiting' },
    'primary start has timed out, but continuing to wait because failover is not possible',
  ],
  [
    { kind: 'stoppedLeaderKeyLost' },
    'stopped PostgreSQL while starting up because leader key was lost',
  ],
  [
    { kind: 'removedKeyFailedStart' },
    'removed leader key after trying and failing to start postgres',
  ],
  [{ kind: 'failedToStart' }, 'failed to start postgres'],
  [{ kind: 'notRunning' }, 'postgres is not running'],
  [{ kind: 'removedLockNotRunning' }, 'removed leader lock because postgres is not running'],
  [{ kind: 'crashFailover' }, 'stopped PostgreSQL to fail over after a crash'],
  [{ kind: 'startingReadonly' }, 'starting as readonly because i had the session lock'],
  [{ kind: 'startingSecondary' }, 'starting as a secondary'],
  [
    { kind: 'releasedEmptyDataDir' },
    'released leader key voluntarily as data dir empty and currently leader',
  ],
  [{ kind: 'runningEmptyDataDir' }, 'running with empty data directory'],
  [
    { kind: 'invalidSysid' },
    'data dir for the cluster is not empty, but system ID is invalid; consider doing reinitialize',
  ],
  [
    { kind: 'releasedSysidMismatch' },
    'released leader key voluntarily due to the system ID mismatch',
  ],
  [{ kind: 'tryingBootstrapNew' }, 'trying to bootstrap a new cluster'],
  [{ kind: 'failedInitializeLock' }, 'failed to acquire initialize lock'],
  [{ kind: 'waitingLeaderBootstrap' }, 'waiting for leader to bootstrap'],
  [{ kind: 'tryingBootstrapWithoutLeader' }, 'trying to bootstrap (without leader)'],
  [
    { kind: 'tryingBootstrapFrom', source: 'replica', name: 'node3' },
    "trying to bootstrap from replica 'node3'",
  ],
  [{ kind: 'waitingEndOfRecovery' }, 'waiting for end of recovery after bootstrap'],
  [{ kind: 'runningPostBootstrap' }, 'running post_bootstrap'],
  [{ kind: 'initializedNewCluster' }, 'initialized a new cluster'],
  [{ kind: 'manualFailoverDemoting' }, 'manual failover: demoting myself'],
  [{ kind: 'standbyNotPrimaryLocked' }, 'cannot be a real primary in standby cluster'],
  [{ kind: 'standbyNotPrimary' }, 'cannot be a real primary in a standby cluster'],
  [
    { kind: 'standbyLeader', me: 'node2' },
    'no action. I am (node2), the standby leader with the lock',
  ],
  [
    { kind: 'standbyReplica', me: 'node2', leader: 'node1' },
    'no action. I am (node2), a secondary, and following a standby leader (node1)',
  ],
  [
    { kind: 'standbyPromotedHadLock' },
    'promoted self to a standby leader because i had the session lock',
  ],
  [
    { kind: 'standbyPromotedAcquired' },
    'promoted self to a standby leader by acquiring session lock',
  ],
  [{ kind: 'standbyOldLeader' }, 'continue following the old known standby leader'],
  [
    { kind: 'standbyStartingLeader' },
    'starting as a standby leader because i had the session lock',
  ],
  [
    { kind: 'standbyFollowRemote' },
    'trying to follow a remote member because standby cluster is unhealthy',
  ],
  [{ kind: 'tryingBootstrapStandby' }, 'trying to bootstrap a new standby leader'],
  [{ kind: 'waitingStandbyLeaderBootstrap' }, 'waiting for standby_leader to bootstrap'],
  [{ kind: 'rewindFrom', leader: 'node1' }, 'running pg_rewind from node1'],
  [{ kind: 'crashRecovery' }, 'doing crash recovery in a single user mode'],
  [{ kind: 'reinitDiverged' }, 'reinitializing due to diverged timelines'],
  [{ kind: 'restartInitiated' }, 'restart initiated'],
  // Sentences that were written inline in the steps before reasons were typed.
  [{ kind: 'demotedDcs' }, 'demoted self because DCS is not accessible and I was a leader'],
  [{ kind: 'dataDirNotAccessible', error: 'EACCES' }, 'data directory is not accessible: EACCES'],
  [
    { kind: 'releasedDataDirNotAccessible' },
    'released leader key voluntarily as data dir not accessible and currently leader',
  ],
  [
    {
      kind: 'sysidMismatch',
      me: 'node2',
      initialize: '7000000000000000001',
      sysid: '7000000000000000002',
    },
    'system ID mismatch, node node2 belongs to a different cluster: 7000000000000000001 != 7000000000000000002',
  ],
  [
    { kind: 'replicaWithoutInitialize' },
    'No initialize key in DCS and PostgreSQL is running as replica, aborting start',
  ],
  [{ kind: 'bootstrapFailed' }, 'Failed to bootstrap cluster'],
  [{ kind: 'waitingForAnswer', query: 'peerStatus' }, 'waiting for peerStatus'],
  [{ kind: 'unexpectedError' }, 'Unexpected exception raised, please report it as a BUG'],
];

describe("reason: typed decisions render Patroni's sentences", () => {
  for (const [r, expected] of TABLE) {
    it(`${r.kind} renders "${expected}"`, () => {
      assert.equal(sentence(r), expected);
    });
  }

  it('the table covers every kind, once', () => {
    const kinds = TABLE.map(([r]) => r.kind);
    assert.deepEqual([...kinds].sort(), [...REASON_KINDS].sort());
  });

  it('INFO builds the same reasons as reason()', () => {
    assert.deepEqual(INFO.healthyReplica('node2', 'node1'), {
      kind: 'healthyReplica',
      me: 'node2',
      leader: 'node1',
    });
    assert.deepEqual(INFO.acquiredLock, reason('acquiredLock'));
    assert.equal(
      sentence(INFO.tryingBootstrapFrom('leader', 'node1')),
      "trying to bootstrap from leader 'node1'",
    );
  });
});
