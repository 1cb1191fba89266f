/**
 * Builders for NodeView and cluster snapshots: a healthy 3-node cluster `batman` (node1 leader,
 * node2 and node3 replicas) that tests, benches and fakes adjust with spread overrides.
 */
import { EMPTY_CLUSTER, type ClusterSnapshot } from '../model/cluster.js';
import { UNKNOWN_PG_STATE, type LocalPgState } from '../model/local-pg.js';
import type { Member, MemberRole } from '../model/member.js';
import { NO_TAGS } from '../model/tags.js';
import type { NodeView } from './node-view.js';

export function memberOf(name: string, port: number, extra: Partial<Member> = {}): Member {
  const role: MemberRole = extra.role ?? 'replica';
  const data: Record<string, unknown> = {
    conn_url: `postgres://127.0.0.1:${port}/postgres`,
    api_url: `http://127.0.0.1:${port + 10000}/patroni`,
    state: 'running',
    role: role === 'primary' ? 'master' : role,
    version: '3.0.2',
    xlog_location: 67111792,
    timeline: 1,
  };
  return {
    name,
    connUrl: `postgres://127.0.0.1:${port}/postgres`,
    apiUrl: `http://127.0.0.1:${port + 10000}/patroni`,
    state: 'running',
    role,
    version: '3.0.2',
    xlogLocation: 67111792,
    timeline: 1,
    tags: NO_TAGS,
    pendingRestart: false,
    scheduledRestart: null,
    pause: false,
    checkpointAfterPromote: null,
    proxyUrl: null,
    replicationState: null,
    index: 10,
    session: '1',
    data,
    ...extra,
  };
}

export function clusterOf(overrides: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  const node1 = memberOf('node1', 54321, { role: 'primary' });
  return {
    ...EMPTY_CLUSTER,
    initialize: '7710824723543783744',
    config: { data: { ttl: 30, loop_wait: 10 }, index: 5 },
    leader: { name: 'node1', index: 20, session: '1', member: node1 },
    lastLsn: 67111792,
    members: [node1, memberOf('node2', 54322), memberOf('node3', 54323)],
    history: { lines: [], index: 3 },
    ...overrides,
  };
}

export const RUNNING_PRIMARY_PG: LocalPgState = {
  ...UNKNOWN_PG_STATE,
  dataDirEmpty: false,
  state: 'running',
  postmasterRunning: true,
  accepting: true,
  inRecovery: false,
  timeline: 1,
  walPosition: 67111792,
  postmasterStartTime: '2026-11-22 02:58:04.375817+00:00',
  serverVersion: 150018,
  systemIdentifier: '7710824723543783744',
};

export const RUNNING_REPLICA_PG: LocalPgState = {
  ...RUNNING_PRIMARY_PG,
  inRecovery: true,
  walPosition: null,
  receiveLsn: 67111792,
  replayLsn: 67111792,
};

export function primaryView(overrides: Partial<NodeView> = {}): NodeView {
  return {
    scope: 'batman',
    name: 'node1',
    version: '3.0.2',
    pg: RUNNING_PRIMARY_PG,
    replayedTimestamp: null,
    role: 'primary',
    isLeader: true,
    cluster: clusterOf(),
    paused: false,
    standbyCluster: false,
    synchronousMode: false,
    failsafeMode: false,
    failsafeActive: false,
    tags: {},
    effectiveTags: {},
    dcsLastSeen: 1795316324,
    nextRunAt: 1_795_316_334_000,
    ttl: 30,
    loopWait: 10,
    maximumLagOnFailover: 1048576,
    scheduledRestart: null,
    watchdogHealthy: true,
    ...overrides,
  };
}

export function replicaView(overrides: Partial<NodeView> = {}): NodeView {
  return primaryView({
    name: 'node2',
    pg: RUNNING_REPLICA_PG,
    replayedTimestamp: '2026-11-22 03:02:18.940165+00:00',
    role: 'replica',
    isLeader: false,
    ...overrides,
  });
}
