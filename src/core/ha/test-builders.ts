/**
 * Input builders for the decision-table tests: a row states only what differs from a healthy
 * three-node cluster (`node1` leader, `node2`/`node3` replicas) seen from one member.
 */
import type { ClusterSnapshot, FailoverRequest, Leader } from '../model/cluster.js';
import { EMPTY_CLUSTER } from '../model/cluster.js';
import type { LocalPgState } from '../model/local-pg.js';
import { UNKNOWN_PG_STATE } from '../model/local-pg.js';
import type { Member } from '../model/member.js';
import { DEFAULT_HA_SETTINGS, type HaSettings } from '../model/settings.js';
import { NO_TAGS, type Tags } from '../model/tags.js';
import type { Decision } from './decision.js';
import { decide } from './decide.js';
import type { HaInput, QueryAnswers, WatchdogView } from './input.js';
import { initialMemory, type HaMemory } from './memory.js';
import type { PeerStatus } from './peer-status.js';

export const SYSID = '7118390000000000001';
export const NOW = 1_000_000;
export const WALL = 1_700_000_000_000;

export function member(name: string, over: Partial<Member> = {}): Member {
  const n = name.replace(/\D/g, '') || '0';
  return {
    name,
    connUrl: `postgres://127.0.0.${n}:5432/postgres`,
    apiUrl: `http://127.0.0.${n}:8008/patroni`,
    state: 'running',
    role: 'replica',
    version: '3.0.2',
    xlogLocation: 100,
    timeline: 1,
    tags: NO_TAGS,
    pendingRestart: false,
    scheduledRestart: null,
    pause: false,
    checkpointAfterPromote: null,
    proxyUrl: null,
    replicationState: null,
    index: 1,
    session: null,
    data: {},
    ...over,
  };
}

export function tags(over: Partial<Tags>): Tags {
  return { ...NO_TAGS, ...over };
}

export function leaderOf(m: Member, index = 10): Leader {
  return { name: m.name, index, session: '1', member: m };
}

/** node1 leads node2 and node3. `leader: null` makes it leaderless. */
export function cluster(
  over: Partial<ClusterSnapshot> & { leaderName?: string | null } = {},
): ClusterSnapshot {
  const members = over.members ?? [
    member('node1', { role: 'primary' }),
    member('node2'),
    member('node3'),
  ];
  const leaderName = over.leaderName === undefined ? 'node1' : over.leaderName;
  const lm =
    members.find((m) => m.name === leaderName) ??
    (leaderName === null ? undefined : member(leaderName));
  const { leaderName: _ignored, ...rest } = over;
  return {
    ...EMPTY_CLUSTER,
    initialize: SYSID,
    config: { data: { ttl: 30 }, index: 5 },
    history: { lines: [], index: 3 },
    lastLsn: 100,
    leader: lm === undefined ? null : leaderOf(lm),
    ...rest,
    members,
  };
}

export function failover(over: Partial<FailoverRequest>): FailoverRequest {
  return { leader: null, candidate: null, scheduledAt: null, index: 42, ...over };
}

export const PRIMARY_PG: LocalPgState = {
  ...UNKNOWN_PG_STATE,
  dataDirEmpty: false,
  state: 'running',
  postmasterRunning: true,
  accepting: true,
  inRecovery: false,
  timeline: 1,
  walPosition: 100,
  serverVersion: 150002,
  systemIdentifier: SYSID,
  clusterState: 'in production',
  checkpointTimeline: 1,
};

export const REPLICA_PG: LocalPgState = {
  ...PRIMARY_PG,
  inRecovery: true,
  walPosition: null,
  receiveLsn: 100,
  replayLsn: 100,
  clusterState: 'in archive recovery',
};

export const STOPPED_PG: LocalPgState = {
  ...REPLICA_PG,
  state: 'stopped',
  postmasterRunning: false,
  accepting: false,
  inRecovery: null,
  receiveLsn: null,
  replayLsn: null,
  clusterState: 'shut down in recovery',
};

export const EMPTY_PG: LocalPgState = UNKNOWN_PG_STATE;

export interface Row {
  me?: string;
  myTags?: Tags;
  cluster?: ClusterSnapshot | null;
  pg?: Partial<LocalPgState> | LocalPgState;
  settings?: Partial<HaSettings>;
  memory?: Partial<HaMemory>;
  inFlight?: HaInput['inFlight'];
  finished?: HaInput['finished'];
  answers?: QueryAnswers;
  local?: Partial<HaInput['local']>;
  now?: number;
  wallNow?: number;
  scheduledRestart?: HaInput['scheduledRestart'];
  /** Present: the node has a watchdog in this state (idle, healthy, not inert by default). */
  watchdog?: Partial<WatchdogView>;
}

export function input(row: Row = {}): HaInput {
  const me = row.me ?? 'node2';
  const cl = row.cluster === undefined ? cluster() : row.cluster;
  const basePg = me === (cl?.leader?.name ?? '') ? PRIMARY_PG : REPLICA_PG;
  return {
    now: row.now ?? NOW,
    wallNow: row.wallNow ?? WALL,
    self: {
      name: me,
      apiUrl: `http://127.0.0.${me.replace(/\D/g, '') || '0'}:8008/patroni`,
      connUrl: `postgres://127.0.0.${me.replace(/\D/g, '') || '0'}:5432/postgres`,
      proxyUrl: null,
      tags: row.myTags ?? NO_TAGS,
      version: '3.0.2',
    },
    dcs: cl === null ? { reachable: false, sinceMs: NOW - 1000 } : { reachable: true, cluster: cl },
    pg: { ...basePg, ...row.pg },
    settings: { ...DEFAULT_HA_SETTINGS, ...row.settings },
    local: {
      bootstrapConfigured: true,
      replicaMethodWithoutLeader: false,
      canRewind: false,
      standbyCluster: null,
      ...row.local,
    },
    memory: {
      ...initialMemory(me === cl?.leader?.name ? 'primary' : 'replica'),
      startCallbackFired: true,
      upstream: { connUrl: 'postgres://127.0.0.1:5432/postgres' },
      ...row.memory,
    },
    inFlight: row.inFlight ?? null,
    finished: row.finished ?? null,
    scheduledRestart: row.scheduledRestart ?? null,
    ...(row.watchdog === undefined
      ? {}
      : {
          watchdog: {
            running: false,
            healthy: true,
            inert: false,
            ...row.watchdog,
          },
        }),
    answers: row.answers ?? {},
  };
}

/** A replica's /patroni answer. */
export function replicaStatus(wal: number, over: Partial<PeerStatus> = {}): PeerStatus {
  return {
    isPrimary: false,
    walPosition: wal,
    timeline: 1,
    nofailover: false,
    watchdogFailed: false,
    failoverPriority: 1,
    ...over,
  };
}

/**
 * Runs the query rounds like the shell: answers each query from `world` and calls again.
 * Unanswered peers count as unreachable; lock/initialize attempts use `world`'s outcomes.
 */
export function run(
  inp: HaInput,
  world: {
    peers?: Record<string, PeerStatus | null>;
    lock?: boolean;
    refresh?: boolean;
    initialize?: boolean;
    divergence?: QueryAnswers['divergence'];
    failsafe?: boolean;
    sync?: boolean;
    watchdog?: boolean;
  } = {},
): Decision & { rounds: string[] } {
  let answers: QueryAnswers = { ...inp.answers };
  const rounds: string[] = [];
  for (let i = 0; i < 10; i++) {
    const d = decide({ ...inp, answers });
    if (d.query === undefined) return { ...d, rounds };
    rounds.push(d.query.kind);
    const q = d.query;
    switch (q.kind) {
      case 'peerStatus': {
        const peers = { ...answers.peers };
        for (const m of q.members) peers[m.name] = world.peers?.[m.name] ?? null;
        answers = { ...answers, peers };
        break;
      }
      case 'acquireLock':
        answers = { ...answers, lockAcquired: world.lock ?? true };
        break;
      case 'refreshLock':
        answers = { ...answers, lockRefreshed: world.refresh ?? true };
        break;
      case 'raceInitialize':
        answers = { ...answers, initializeWon: world.initialize ?? true };
        break;
      case 'checkDivergence':
        answers = { ...answers, divergence: world.divergence ?? 'notNeed' };
        break;
      case 'failsafePing':
        answers = { ...answers, failsafeAccepted: world.failsafe ?? true };
        break;
      case 'writeSyncState':
        answers = { ...answers, syncStateWritten: world.sync ?? true };
        break;
      case 'activateWatchdog':
        answers = { ...answers, watchdogActivated: world.watchdog ?? true };
        break;
    }
  }
  throw new Error('decide kept asking');
}

/** Action types of a decision, without the trailing touchMember, for compact assertions. */
export function kinds(d: Decision): string[] {
  return d.actions.filter((a) => a.type !== 'touchMember').map((a) => a.type);
}
