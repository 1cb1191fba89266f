import type { ClusterSnapshot, Member } from '../../core/model/index.js';
import { isPaused } from '../../core/model/index.js';
import { isoFormat, parseTimestamp } from './time.js';

/** One member as Patroni 3.0.2's `cluster_as_json` describes it (GET /cluster, patronictl list). */
export interface MemberJson {
  readonly name: string;
  /** `leader`, `standby_leader`, `sync_standby` or `replica`. */
  readonly role: string;
  readonly state: string;
  readonly api_url: string | null;
  readonly host?: string;
  readonly port?: number;
  readonly timeline?: unknown;
  readonly pending_restart?: unknown;
  readonly scheduled_restart?: unknown;
  readonly tags?: unknown;
  /** Bytes behind the leader's last published LSN, or `unknown`; leaders have none. */
  readonly lag?: number | 'unknown';
}

export interface ClusterJson {
  readonly members: readonly MemberJson[];
  readonly pause?: true;
  readonly scheduled_switchover?: {
    readonly at: string;
    readonly from?: string;
    readonly to?: string;
  };
}

/** `Member.conn_kwargs()` host and port: Python's urlparse hostname (lower-cased) and port or 5432. */
export function connHostPort(member: Member): { host: string; port: number } | null {
  if (member.connUrl === null) return null;
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d+))?/i.exec(
    member.connUrl,
  );
  if (m === null) return null;
  const host = (m[1] ?? '').replace(/^\[|\]$/g, '').toLowerCase();
  if (host === '') return null;
  return { host, port: m[2] !== undefined ? Number(m[2]) : 5432 };
}

function isStandbyCluster(cluster: ClusterSnapshot): boolean {
  if (cluster.config === null || cluster.config.index === 0) return false;
  const sc = cluster.config.data['standby_cluster'];
  if (typeof sc !== 'object' || sc === null || Array.isArray(sc)) return false;
  const r = sc as Record<string, unknown>;
  return Boolean(r['host']) || Boolean(r['port']) || Boolean(r['restore_command']);
}

function roleOf(cluster: ClusterSnapshot, m: Member, leaderName: string | null): string {
  if (m.name === leaderName) return isStandbyCluster(cluster) ? 'standby_leader' : 'leader';
  if (cluster.sync.syncStandbys.includes(m.name)) return 'sync_standby';
  return 'replica';
}

function memberJson(cluster: ClusterSnapshot, m: Member, leaderName: string | null): MemberJson {
  const state = m.data['state'];
  const out: Record<string, unknown> = {
    name: m.name,
    role: roleOf(cluster, m, leaderName),
    state: typeof state === 'string' ? state : '',
    api_url: m.apiUrl,
  };
  const hp = connHostPort(m);
  if (hp !== null) {
    out['host'] = hp.host;
    out['port'] = hp.port;
  }
  for (const key of ['timeline', 'pending_restart', 'scheduled_restart', 'tags']) {
    if (key in m.data) out[key] = m.data[key];
  }
  if (m.name !== leaderName) {
    const lsn = m.xlogLocation;
    out['lag'] = lsn === null ? 'unknown' : Math.max(0, cluster.lastLsn - lsn);
  }
  return out as unknown as MemberJson;
}

function byName(a: MemberJson, b: MemberJson): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Pure equivalent of `patroni.utils.cluster_as_json` (3.0.2). */
export function clusterAsJson(cluster: ClusterSnapshot): ClusterJson {
  const leaderName = cluster.leader?.name ?? null;
  const members = cluster.members.map((m) => memberJson(cluster, m, leaderName)).sort(byName);
  const out: {
    members: MemberJson[];
    pause?: true;
    scheduled_switchover?: { at: string; from?: string; to?: string };
  } = { members };
  if (isPaused(cluster)) out.pause = true;
  const f = cluster.failover;
  if (f !== null && f.scheduledAt !== null) {
    const parsed = parseTimestamp(f.scheduledAt, 0);
    out.scheduled_switchover = {
      at: parsed === null ? f.scheduledAt : isoFormat(parsed),
      ...(f.leader !== null ? { from: f.leader } : {}),
      ...(f.candidate !== null ? { to: f.candidate } : {}),
    };
  }
  return out;
}
