import type { ClusterSnapshot } from '../model/cluster.js';
import { isPaused } from '../model/cluster.js';
import type { Member } from '../model/member.js';
import { parseTimestamp } from './schedule.js';

/**
 * Patroni 3.0.2's `cluster_as_json(cluster)`: the body of `GET /cluster` and what patronictl
 * renders for `list`. Members sorted by name; key order as Patroni writes it.
 */
export function clusterAsJson(cluster: ClusterSnapshot): Record<string, unknown> {
  const leaderName = cluster.leader?.name ?? null;
  const clusterLsn = cluster.lastLsn;
  const standby = isStandbyCluster(cluster);
  const members = cluster.members.map((m) =>
    memberJson(m, leaderName, clusterLsn, standby, cluster),
  );
  members.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: Record<string, unknown> = { members: members.map((m) => m.json) };
  if (isPaused(cluster)) out['pause'] = true;
  const f = cluster.failover;
  if (f?.scheduledAt !== null && f?.scheduledAt !== undefined) {
    const at = parseTimestamp(f.scheduledAt)?.iso ?? f.scheduledAt;
    const switchover: Record<string, unknown> = { at };
    if (f.leader !== null && f.leader !== '') switchover['from'] = f.leader;
    if (f.candidate !== null && f.candidate !== '') switchover['to'] = f.candidate;
    out['scheduled_switchover'] = switchover;
  }
  return out;
}

function isStandbyCluster(cluster: ClusterSnapshot): boolean {
  const section = cluster.config?.data['standby_cluster'];
  return typeof section === 'object' && section !== null && Object.keys(section).length > 0;
}

function memberJson(
  m: Member,
  leaderName: string | null,
  clusterLsn: number,
  standby: boolean,
  cluster: ClusterSnapshot,
): { name: string; json: Record<string, unknown> } {
  let role = 'replica';
  if (m.name === leaderName) role = standby ? 'standby_leader' : 'leader';
  else if (cluster.sync.syncStandbys.includes(m.name)) role = 'sync_standby';
  const json: Record<string, unknown> = {
    name: m.name,
    role,
    state: m.data['state'] ?? m.state ?? '',
    api_url: m.apiUrl,
  };
  const hostPort = connHostPort(m.connUrl);
  if (hostPort.host !== null) {
    json['host'] = hostPort.host;
    if (hostPort.port !== null) json['port'] = hostPort.port;
  }
  for (const key of ['timeline', 'pending_restart', 'scheduled_restart', 'tags']) {
    if (key in m.data) json[key] = m.data[key];
  }
  if (m.name !== leaderName) {
    const lsn = m.data['xlog_location'];
    if (typeof lsn !== 'number') json['lag'] = 'unknown';
    else json['lag'] = clusterLsn >= lsn ? clusterLsn - lsn : 0;
  }
  return { name: m.name, json };
}

/** Host and port of a `postgres://host:port/db` conn_url. */
export function connHostPort(connUrl: string | null): { host: string | null; port: number | null } {
  if (connUrl === null) return { host: null, port: null };
  try {
    const url = new URL(connUrl);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    return { host: host === '' ? null : host, port: url.port === '' ? null : Number(url.port) };
  } catch {
    return { host: null, port: null };
  }
}
