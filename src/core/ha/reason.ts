/**
 * Why a cycle did what it did, as a typed value: a `kind` and the data the sentence needs. The
 * sentence Patroni 3.0.2 logs is rendered from it (`sentence`), so code that reacts to a decision
 * (the journal, metrics, tests) switches on `kind` and never on words. The words themselves are
 * Patroni's, verbatim (`patroni/ha.py`, spec/surface.md §4.2): operators grep them.
 */
const SENTENCES = {
  dcsNotAccessible: () => 'DCS is not accessible',
  demotingDcs: () => 'demoting self because DCS is not accessible and I was a leader',
  /** The offline demotion ran on the main loop because the async slot was busy. */
  demotedDcs: () => 'demoted self because DCS is not accessible and I was a leader',
  failsafeContinue: () =>
    'continue to run as a leader because failsafe mode is enabled and all members are accessible',

  healthyLeader: (d: { me: string }) => `no action. I am (${d.me}), the leader with the lock`,
  healthyReplica: (d: { me: string; leader: string }) =>
    `no action. I am (${d.me}), a secondary, and following a leader (${d.leader})`,
  noActionPaused: (d: { me: string }) => `no action. I am (${d.me})`,
  promotedHadLock: () => 'promoted self to leader because I had the session lock',
  acquiredLock: () => 'acquired session lock as a leader',
  promotedAcquired: () => 'promoted self to leader by acquiring session lock',
  demotedFailedLock: () => 'demoted self after trying and failing to obtain lock',
  followingFailedLock: () => 'following new leader after trying and failing to obtain lock',
  demotingNotHealthiest: () => 'demoting self because i am not the healthiest node',
  followingNotHealthiest: () => 'following a different leader because i am not the healthiest node',
  demotingNofailover: () => 'demoting self because I am not allowed to become primary',
  followingNofailover: () => 'following a different leader because I am not allowed to promote',
  demotingNoLock: () => 'demoting self because I do not have the lock and I was a leader',
  continuePrimaryNoLock: () => 'continue to run as primary without lock',

  continuePrimaryLockFailed: () =>
    'continue to run as primary after failing to update leader lock in DCS',
  demotedLockFailed: () => 'demoted self because failed to update leader lock in DCS',
  notPromotingLockFailed: () => 'not promoting because failed to update leader lock in DCS',
  removedLockNotPrimary: () => 'removed leader lock because postgres is not running as primary',
  waitingPromote: () => 'waiting to become primary after promote...',
  promotionCancelled: () => 'Promotion cancelled because the pre-promote script failed',
  demotingNoWatchdog: () => 'Demoting self because watchdog could not be activated',
  notPromotingNoWatchdog: () => 'Not promoting self because watchdog could not be activated',
  postponingPromotion: () =>
    'Postponing promotion because synchronous replication state was updated by somebody else',

  updatedLockDuring: (d: { action: string }) => `updated leader lock during ${d.action}`,
  lostLockDuring: (d: { action: string }) => `lost leader lock during ${d.action}`,
  lostBeforePromote: () => 'lost leader before promote',
  inProgress: (d: { action: string }) => `${d.action} in progress`,
  terminatedCrashRecovery: () => 'terminated crash recovery because of startup timeout',

  stillStarting: (d: { seconds: number }) =>
    `PostgreSQL is still starting up, ${d.seconds} seconds until timeout`,
  stoppedStartupTimeout: () => 'stopped PostgreSQL because of startup timeout',
  startTimedOutWaiting: () =>
    'primary start has timed out, but continuing to wait because failover is not possible',
  stoppedLeaderKeyLost: () => 'stopped PostgreSQL while starting up because leader key was lost',

  removedKeyFailedStart: () => 'removed leader key after trying and failing to start postgres',
  failedToStart: () => 'failed to start postgres',
  notRunning: () => 'postgres is not running',
  removedLockNotRunning: () => 'removed leader lock because postgres is not running',
  crashFailover: () => 'stopped PostgreSQL to fail over after a crash',
  startingReadonly: () => 'starting as readonly because i had the session lock',
  startingSecondary: () => 'starting as a secondary',

  releasedEmptyDataDir: () =>
    'released leader key voluntarily as data dir empty and currently leader',
  runningEmptyDataDir: () => 'running with empty data directory',
  dataDirNotAccessible: (d: { error: string }) => `data directory is not accessible: ${d.error}`,
  releasedDataDirNotAccessible: () =>
    'released leader key voluntarily as data dir not accessible and currently leader',
  /** Fatal: the data directory belongs to another cluster (the process exits). */
  sysidMismatch: (d: { me: string; initialize: string; sysid: string }) =>
    `system ID mismatch, node ${d.me} belongs to a different cluster: ${d.initialize} != ${d.sysid}`,
  /** Fatal: a replica found no `initialize` key to check itself against (the process exits). */
  replicaWithoutInitialize: () =>
    'No initialize key in DCS and PostgreSQL is running as replica, aborting start',
  invalidSysid: () =>
    'data dir for the cluster is not empty, but system ID is invalid; consider doing reinitialize',
  releasedSysidMismatch: () => 'released leader key voluntarily due to the system ID mismatch',
  tryingBootstrapNew: () => 'trying to bootstrap a new cluster',
  failedInitializeLock: () => 'failed to acquire initialize lock',
  waitingLeaderBootstrap: () => 'waiting for leader to bootstrap',
  tryingBootstrapWithoutLeader: () => 'trying to bootstrap (without leader)',
  tryingBootstrapFrom: (d: { source: 'leader' | 'replica'; name: string }) =>
    `trying to bootstrap from ${d.source} '${d.name}'`,
  waitingEndOfRecovery: () => 'waiting for end of recovery after bootstrap',
  runningPostBootstrap: () => 'running post_bootstrap',
  initializedNewCluster: () => 'initialized a new cluster',
  bootstrapFailed: () => 'Failed to bootstrap cluster',

  manualFailoverDemoting: () => 'manual failover: demoting myself',

  standbyNotPrimaryLocked: () => 'cannot be a real primary in standby cluster',
  standbyNotPrimary: () => 'cannot be a real primary in a standby cluster',
  standbyLeader: (d: { me: string }) =>
    `no action. I am (${d.me}), the standby leader with the lock`,
  standbyReplica: (d: { me: string; leader: string }) =>
    `no action. I am (${d.me}), a secondary, and following a standby leader (${d.leader})`,
  standbyPromotedHadLock: () => 'promoted self to a standby leader because i had the session lock',
  standbyPromotedAcquired: () => 'promoted self to a standby leader by acquiring session lock',
  standbyOldLeader: () => 'continue following the old known standby leader',
  standbyStartingLeader: () => 'starting as a standby leader because i had the session lock',
  standbyFollowRemote: () =>
    'trying to follow a remote member because standby cluster is unhealthy',
  tryingBootstrapStandby: () => 'trying to bootstrap a new standby leader',
  waitingStandbyLeaderBootstrap: () => 'waiting for standby_leader to bootstrap',
  rewindFrom: (d: { leader: string }) => `running pg_rewind from ${d.leader}`,
  crashRecovery: () => 'doing crash recovery in a single user mode',
  reinitDiverged: () => 'reinitializing due to diverged timelines',
  restartInitiated: () => 'restart initiated',

  /** Not a final decision: the core asked the shell a question first. */
  waitingForAnswer: (d: { query: string }) => `waiting for ${d.query}`,
  /** The core threw: a bug, logged as Patroni logs an unexpected exception. */
  unexpectedError: () => 'Unexpected exception raised, please report it as a BUG',
} as const;

type Sentences = typeof SENTENCES;

/** Every kind of decision, e.g. `healthyLeader`, `promotedAcquired`, `followingNotHealthiest`. */
export type ReasonKind = keyof Sentences;

type DataOf<K extends ReasonKind> = Parameters<Sentences[K]> extends [infer D] ? D : unknown;

/** A kind with its data, e.g. `{ kind: 'healthyReplica', me: 'node2', leader: 'node1' }`. */
export type Reason = {
  [K in ReasonKind]: { readonly kind: K } & Readonly<DataOf<K>>;
}[ReasonKind];

/** The reason of the given kind. */
export type ReasonOf<K extends ReasonKind> = Extract<Reason, { readonly kind: K }>;

/** All kinds, in the order above (for metrics that list every kind, even at zero). */
export const REASON_KINDS = Object.keys(SENTENCES) as readonly ReasonKind[];

/** Patroni's sentence for a reason (without the `PAUSE: ` prefix). */
export function sentence(reason: Reason): string {
  // Indexing by a union key widens the renderer's parameter to the intersection of all data
  // shapes; `reason` carries exactly the data of its own kind, so the call is sound.
  const render = SENTENCES[reason.kind] as (data: Reason) => string;
  return render(reason);
}

/** Builds a reason: `reason('healthyLeader', { me })`, `reason('acquiredLock')`. */
export function reason<K extends ReasonKind>(
  kind: K,
  ...data: Parameters<Sentences[K]> extends [infer D] ? [D] : []
): ReasonOf<K> {
  return { ...(data[0] ?? {}), kind } as ReasonOf<K>;
}
