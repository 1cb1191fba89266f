import type { ClusterSnapshot, Leader, Member } from '../../core/model/index.js';
import { EMPTY_CLUSTER } from '../../core/model/index.js';
import { toInt } from './json.js';
import { decodeMember, stubMember } from './member.js';
import { KEYS, memberNameOf } from './paths.js';
import {
  decodeConfig,
  decodeFailover,
  decodeFailsafe,
  decodeHistory,
  decodeStatus,
  decodeSync,
} from './values.js';

/** One key of the scope directory as an adapter read it. */
export interface RawEntry {
  /** Relative to the scope directory, e.g. `leader`, `members/node1`. */
  readonly key: string;
  readonly value: string;
  /** etcd v3 mod_revision (v2 modifiedIndex): the CAS token. */
  readonly index: number;
  /** Lease ID (v3) or TTL (v2) as a string, null when the key has none. */
  readonly session: string | null;
}

function buildLeader(entry: RawEntry | undefined, members: readonly Member[]): Leader | null {
  if (entry === undefined || entry.value === '') return null;
  const member = members.find((m) => m.name === entry.value) ?? stubMember(entry.value);
  return { name: entry.value, index: entry.index, session: entry.session, member };
}

/** `status.optime`, falling back to the legacy `optime/leader` text; 0 when unknown. */
function lastLsnOf(status: RawEntry | undefined, optime: RawEntry | undefined): number {
  if (status !== undefined) return decodeStatus(status.value).optime ?? 0;
  if (optime !== undefined) return toInt(optime.value) ?? 0;
  return 0;
}

/** Builds the one immutable snapshot of a cluster from one read of its directory. */
export function buildSnapshot(entries: readonly RawEntry[]): ClusterSnapshot {
  const byKey = new Map<string, RawEntry>();
  const members: Member[] = [];
  for (const e of entries) {
    const name = memberNameOf(e.key);
    if (name !== null) members.push(decodeMember(name, e.value, e.index, e.session));
    else byKey.set(e.key, e);
  }
  members.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const get = (k: string): RawEntry | undefined => byKey.get(k);
  const config = get(KEYS.config);
  const failover = get(KEYS.failover);
  const sync = get(KEYS.sync);
  const history = get(KEYS.history);
  const status = get(KEYS.status);
  const failsafe = get(KEYS.failsafe);
  return {
    ...EMPTY_CLUSTER,
    initialize: get(KEYS.initialize)?.value ?? null,
    config: config === undefined ? null : decodeConfig(config.value, config.index),
    leader: buildLeader(get(KEYS.leader), members),
    lastLsn: lastLsnOf(status, get(KEYS.optime)),
    members,
    failover: failover === undefined ? null : decodeFailover(failover.value, failover.index),
    sync: sync === undefined ? EMPTY_CLUSTER.sync : decodeSync(sync.value, sync.index),
    history: history === undefined ? null : decodeHistory(history.value, history.index),
    slots: status === undefined ? {} : decodeStatus(status.value).slots,
    failsafe: failsafe === undefined ? null : decodeFailsafe(failsafe.value),
  };
}

/** Smallest parseable member `version` (dotted integers), as Patroni's `Cluster.min_version`. */
export function minVersion(members: readonly Member[]): readonly number[] | null {
  let min: number[] | null = null;
  for (const m of members) {
    const v = parseVersion(m.version);
    if (v !== null && (min === null || compareVersions(v, min) < 0)) min = v;
  }
  return min;
}

export function parseVersion(text: string | null): number[] | null {
  if (text === null || !/^\d+(\.\d+)*$/.test(text)) return null;
  return text.split('.').map(Number);
}

export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
