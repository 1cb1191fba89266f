/**
 * The operator-facing heartbeat sentences, verbatim from Patroni 3.0.2 (`patroni/ha.py`; listed in
 * spec/surface.md §4.2). Operators and monitoring grep for these exact words: never reword them.
 */
export const INFO = {
  dcsNotAccessible: 'DCS is not accessible',
  demotingDcs: 'demoting self because DCS is not accessible and I was a leader',
  failsafeContinue:
    'continue to run as a leader because failsafe mode is enabled and all members are accessible',

  healthyLeader: (me: string) => `no action. I am (${me}), the leader with the lock`,
  healthyReplica: (me: string, leader: string) =>
    `no action. I am (${me}), a secondary, and following a leader (${leader})`,
  noActionPaused: (me: string) => `no action. I am (${me})`,
  promotedHadLock: 'promoted self to leader because I had the session lock',
  acquiredLock: 'acquired session lock as a leader',
  promotedAcquired: 'promoted self to leader by acquiring session lock',
  demotedFailedLock: 'demoted self after trying and failing to obtain lock',
  followingFailedLock: 'following new leader after trying and failing to obtain lock',
  demotingNotHealthiest: 'demoting self because i am not the healthiest node',
  followingNotHealthiest: 'following a different leader because i am not the healthiest node',
  demotingNofailover: 'demoting self because I am not allowed to become primary',
  followingNofailover: 'following a different leader because I am not allowed to promote',
  demotingNoLock: 'demoting self because I do not have the lock and I was a leader',
  continuePrimaryNoLock: 'continue to run as primary without lock',

  failedToUpdateLockLog: 'failed to update leader lock',
  continuePrimaryLockFailed:
    'continue to run as primary after failing to update leader lock in DCS',
  demotedLockFailed: 'demoted self because failed to update leader lock in DCS',
  notPromotingLockFailed: 'not promoting because failed to update leader lock in DCS',
  removedLockNotPrimary: 'removed leader lock because postgres is not running as primary',
  waitingPromote: 'waiting to become primary after promote...',
  promotionCancelled: 'Promotion cancelled because the pre-promote script failed',
  demotingNoWatchdog: 'Demoting self because watchdog could not be activated',
  notPromotingNoWatchdog: 'Not promoting self because watchdog could not be activated',
  postponingPromotion:
    'Postponing promotion because synchronous replication state was updated by somebody else',

  updatedLockDuring: (action: string) => `updated leader lock during ${action}`,
  lostLockDuring: (action: string) => `lost leader lock during ${action}`,
  lostBeforePromote: 'lost leader before promote',
  inProgress: (action: string) => `${action} in progress`,
  terminatedCrashRecovery: 'terminated crash recovery because of startup timeout',

  stillStarting: (seconds: number) =>
    `PostgreSQL is still starting up, ${seconds} seconds until timeout`,
  stoppedStartupTimeout: 'stopped PostgreSQL because of startup timeout',
  startTimedOutWaiting:
    'primary start has timed out, but continuing to wait because failover is not possible',
  stoppedLeaderKeyLost: 'stopped PostgreSQL while starting up because leader key was lost',

  removedKeyFailedStart: 'removed leader key after trying and failing to start postgres',
  failedToStart: 'failed to start postgres',
  notRunning: 'postgres is not running',
  removedLockNotRunning: 'removed leader lock because postgres is not running',
  crashFailover: 'stopped PostgreSQL to fail over after a crash',
  startingReadonly: 'starting as readonly because i had the session lock',
  startingSecondary: 'starting as a secondary',

  releasedEmptyDataDir: 'released leader key voluntarily as data dir empty and currently leader',
  runningEmptyDataDir: 'running with empty data directory',
  invalidSysid:
    'data dir for the cluster is not empty, but system ID is invalid; consider doing reinitialize',
  releasedSysidMismatch: 'released leader key voluntarily due to the system ID mismatch',
  tryingBootstrapNew: 'trying to bootstrap a new cluster',
  failedInitializeLock: 'failed to acquire initialize lock',
  waitingLeaderBootstrap: 'waiting for leader to bootstrap',
  tryingBootstrapWithoutLeader: 'trying to bootstrap (without leader)',
  tryingBootstrapFrom: (kind: 'leader' | 'replica', name: string) =>
    `trying to bootstrap from ${kind} '${name}'`,
  waitingEndOfRecovery: 'waiting for end of recovery after bootstrap',
  runningPostBootstrap: 'running post_bootstrap',
  initializedNewCluster: 'initialized a new cluster',

  manualFailoverDemoting: 'manual failover: demoting myself',

  standbyNotPrimaryLocked: 'cannot be a real primary in standby cluster',
  standbyNotPrimary: 'cannot be a real primary in a standby cluster',
  standbyLeader: (me: string) => `no action. I am (${me}), the standby leader with the lock`,
  standbyReplica: (me: string, leader: string) =>
    `no action. I am (${me}), a secondary, and following a standby leader (${leader})`,
  standbyPromotedHadLock: 'promoted self to a standby leader because i had the session lock',
  standbyPromotedAcquired: 'promoted self to a standby leader by acquiring session lock',
  standbyOldLeader: 'continue following the old known standby leader',
  standbyStartingLeader: 'starting as a standby leader because i had the session lock',
  standbyFollowRemote: 'trying to follow a remote member because standby cluster is unhealthy',
  tryingBootstrapStandby: 'trying to bootstrap a new standby leader',
  waitingStandbyLeaderBootstrap: 'waiting for standby_leader to bootstrap',
  rewindFrom: (leader: string) => `running pg_rewind from ${leader}`,
  crashRecovery: 'doing crash recovery in a single user mode',
  reinitDiverged: 'reinitializing due to diverged timelines',
  waitingCheckpoint: (leader: string) => `Waiting for checkpoint on ${leader} before rewind`,
  restartInitiated: 'restart initiated',
} as const;

/** Task names of the async slot (spec/core.md §4.4). */
export const TASK = {
  promote: 'promote',
  restart: 'restart',
  bootstrap: 'bootstrap',
  postBootstrap: 'post_bootstrap',
  bootstrapWithoutLeader: 'bootstrap (without leader)',
  bootstrapStandby: 'bootstrap_standby_leader',
  manualDemote: 'manual failover: demote',
  startingAfterDemotion: 'starting after demotion',
  changingConninfo: 'changing primary_conninfo and restarting',
  restartingAfterFailure: 'restarting after failure',
  crashRecovery: 'doing crash recovery in a single user mode',
  reinitDiverged: 'reinitializing due to diverged timelines',
  offlineDemote: 'demoting self because DCS is not accessible and I was a leader',
  bootstrapFrom: (kind: 'leader' | 'replica', name: string) => `bootstrap from ${kind} '${name}'`,
  rewindFrom: (leader: string) => `running pg_rewind from ${leader}`,
} as const;

export const PAUSE_PREFIX = 'PAUSE: ';
