import type { ClusterSnapshot } from '../../core/model/index.js';
import { clusterAsJson, type ClusterJson, type MemberJson } from './cluster-json.js';
import { formatOutput, pyStr } from './output.js';

export interface MembersView {
  readonly clusterName: string;
  readonly extended?: boolean;
  /** pretty, tsv, json, yaml, yml or topology. */
  readonly fmt?: string;
  /**
   * Ours (`list --lease`): seconds the leader's lease is still valid for, shown in a last
   * `Lease` column on the leader's row (null: the leader did not say). Absent: no column, so
   * the default table stays byte-identical to Patroni's.
   */
  readonly leaseRemaining?: number | null;
}

const OPTIONAL_COLUMNS = ['Pending restart', 'Scheduled restart', 'Tags'] as const;

/** Python's `round()`: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Python's `str.title()`: each run of letters starts upper-case, the rest lower-case. */
export function pyTitle(s: string): string {
  return s
    .toLowerCase()
    .replace(/(^|[^a-z])([a-z])/g, (_, pre: string, ch: string) => pre + ch.toUpperCase());
}

function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === '' || v === 0) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

function keyOf(column: string): string {
  return column.toLowerCase().replace(/ /g, '_');
}

/** ctl.py `topology_sort`: the leader, then each member under its `replicatefrom` parent. */
export function topologySort(
  members: readonly MemberJson[],
): { member: MemberJson; name: string }[] {
  const isLeader = (m: MemberJson): boolean => m.role.endsWith('leader');
  const leader = members.find(isLeader) ?? null;
  const replicas = new Set(members.filter((m) => !isLeader(m)).map((m) => m.name));
  const children = new Map<string | null, MemberJson[]>();
  for (const m of members) {
    if (isLeader(m)) continue;
    const tags = m.tags as Record<string, unknown> | undefined;
    const wanted = tags?.['replicatefrom'];
    const parent =
      typeof wanted === 'string' && wanted !== '' && wanted !== m.name && replicas.has(wanted)
        ? wanted
        : (leader?.name ?? null);
    children.set(parent, [...(children.get(parent) ?? []), m]);
  }
  const out: { member: MemberJson; name: string }[] = [];
  const walk = (level: number, name: string | null, member: MemberJson | null): void => {
    if (member !== null && name !== null) {
      out.push({ member, name: level > 0 ? `${' '.repeat((level - 1) * 2)}+ ${name}` : name });
    }
    for (const child of children.get(name) ?? []) walk(level + 1, child.name, child);
  };
  walk(0, leader?.name ?? null, leader);
  return out;
}

function scheduledRestartCell(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const r = value as Record<string, unknown>;
  let text = pyStr(r['schedule'] ?? '');
  if ('postgres_version' in r) text += ` if version < ${pyStr(r['postgres_version'])}`;
  return text;
}

function rowOf(
  name: string,
  m: MemberJson,
  shownName: string,
  columns: readonly string[],
  appendPort: boolean,
): unknown[] {
  const lag = m.lag ?? '';
  let host = m.host ?? '';
  if (appendPort && host !== '' && m.port !== undefined) host = `${host}:${m.port}`;
  const cells: Record<string, unknown> = {
    cluster: name,
    member: shownName,
    host,
    role: m.role.replace(/_/g, ' ').replace(/^.*$/, pyTitle),
    state: m.state,
    tl: m.timeline ?? '',
    lag_in_mb: typeof lag === 'number' ? roundHalfEven(lag / 1024 / 1024) : lag,
    pending_restart: truthy(m.pending_restart) ? '*' : '',
    scheduled_restart:
      m.scheduled_restart === undefined ? '' : scheduledRestartCell(m.scheduled_restart),
    tags: m.tags ?? '',
  };
  return columns.map((c) => cells[keyOf(c)] ?? '');
}

/** The lines printed under the table: maintenance mode and a scheduled switchover. */
export function serviceInfo(cluster: ClusterJson): string[] {
  const info: string[] = [];
  if (cluster.pause === true) info.push('Maintenance mode: on');
  const s = cluster.scheduled_switchover;
  if (s !== undefined) {
    let text = `Switchover scheduled at: ${s.at}`;
    if (s.from !== undefined) text += `\n${'from'.padStart(24)}: ${s.from}`;
    if (s.to !== undefined) text += `\n${'to'.padStart(24)}: ${s.to}`;
    info.push(text);
  }
  return info;
}

/**
 * ctl.py `output_members` (3.0.2, no Citus): the member table in the chosen format, followed in
 * pretty/topology form by the service info. Returns the chunks click.echo prints, in order.
 */
export function renderMembers(cluster: ClusterSnapshot, view: MembersView): string[] {
  const fmt = view.fmt ?? 'pretty';
  const json = clusterAsJson(cluster);
  const columns = ['Cluster', 'Member', 'Host', 'Role', 'State', 'TL', 'Lag in MB'];
  const withHost = json.members.filter((m) => m.host !== undefined);
  for (const c of OPTIONAL_COLUMNS) {
    const key = keyOf(c) as keyof MemberJson;
    if (view.extended === true || withHost.some((m) => truthy(m[key]))) columns.push(c);
  }
  if (view.leaseRemaining !== undefined) columns.push('Lease');
  const appendPort =
    withHost.some((m) => m.port !== undefined && m.port !== 5432) ||
    new Set(withHost.map((m) => m.host)).size < withHost.length;
  const ordered =
    fmt === 'topology'
      ? topologySort(json.members)
      : json.members.map((m) => ({ member: m, name: m.name }));
  const rows = ordered.map(({ member, name }) => {
    const row = rowOf(view.clusterName, member, name, columns, appendPort);
    if (view.leaseRemaining !== undefined && member.name === cluster.leader?.name) {
      row[row.length - 1] = view.leaseRemaining ?? '';
    }
    return row;
  });
  const title = ` Cluster: ${view.clusterName} `;
  const chunks: string[] = [];
  const table = formatOutput({
    columns,
    rows,
    align: { Group: 'r', 'Lag in MB': 'r', TL: 'r', Lease: 'r' },
    fmt,
    title,
  });
  if (table !== null) chunks.push(table);
  if (fmt !== 'pretty' && fmt !== 'topology') return chunks;
  const info = serviceInfo(json);
  if (info.length > 0) chunks.push(' ' + info.join('\n '));
  return chunks;
}
