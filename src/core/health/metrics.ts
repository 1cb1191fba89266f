import type { NodeView } from './node-view.js';
import { parseTimestamp } from './schedule.js';
import { postgresStatus } from './status.js';

/**
 * `GET /metrics` of Patroni 3.0.2, byte for byte: dashboards and alert rules match these names,
 * HELP texts and even the stray space in `patroni_postgres_server_version {...}`. Hand-built
 * rather than through prom-client, which cannot reproduce those quirks.
 */
export function renderMetrics(view: NodeView): string {
  const status = postgresStatus(view);
  const xlog = (status['xlog'] ?? {}) as Record<string, unknown>;
  const role = status['role'];
  const labels = `{scope="${escapeLabel(view.scope)}"}`;
  const lines: string[] = [];
  const add = (
    name: string,
    type: string,
    help: string,
    value: string | number,
    sep = '',
  ): void => {
    lines.push(
      `# HELP ${name} ${help}`,
      `# TYPE ${name} ${type}`,
      `${name}${sep}${labels} ${value}`,
    );
  };
  const flag = (v: boolean): number => (v ? 1 : 0);
  const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
  const isPrimary = role === 'master' || role === 'primary';

  add('patroni_version', 'gauge', 'Patroni semver without periods.', paddedVersion(view.version));
  add(
    'patroni_postgres_running',
    'gauge',
    'Value is 1 if Postgres is running, 0 otherwise.',
    flag(status['state'] === 'running'),
  );
  add(
    'patroni_postmaster_start_time',
    'gauge',
    'Epoch seconds since Postgres started.',
    epochSeconds(status['postmaster_start_time']),
  );
  add(
    'patroni_master',
    'gauge',
    'Value is 1 if this node is the leader, 0 otherwise.',
    flag(isPrimary),
  );
  add(
    'patroni_primary',
    'gauge',
    'Value is 1 if this node is the leader, 0 otherwise.',
    flag(isPrimary),
  );
  add(
    'patroni_xlog_location',
    'counter',
    'Current location of the Postgres transaction log, 0 if this node is not the leader.',
    num(xlog['location']),
  );
  add(
    'patroni_standby_leader',
    'gauge',
    'Value is 1 if this node is the standby_leader, 0 otherwise.',
    flag(role === 'standby_leader'),
  );
  add(
    'patroni_replica',
    'gauge',
    'Value is 1 if this node is a replica, 0 otherwise.',
    flag(role === 'replica'),
  );
  add(
    'patroni_sync_standby',
    'gauge',
    'Value is 1 if this node is a sync standby replica, 0 otherwise.',
    flag(status['sync_standby'] === true),
  );
  add(
    'patroni_xlog_received_location',
    'counter',
    'Current location of the received Postgres transaction log, 0 if this node is not a replica.',
    num(xlog['received_location']),
  );
  add(
    'patroni_xlog_replayed_location',
    'counter',
    'Current location of the replayed Postgres transaction log, 0 if this node is not a replica.',
    num(xlog['replayed_location']),
  );
  add(
    'patroni_xlog_replayed_timestamp',
    'gauge',
    'Current timestamp of the replayed Postgres transaction log, 0 if null.',
    epochSeconds(xlog['replayed_timestamp']),
  );
  add(
    'patroni_xlog_paused',
    'gauge',
    'Value is 1 if the Postgres xlog is paused, 0 otherwise.',
    flag(xlog['paused'] === true),
  );
  add(
    'patroni_postgres_server_version',
    'gauge',
    'Version of Postgres (if running), 0 otherwise.',
    num(status['server_version']),
    ' ',
  );
  add(
    'patroni_cluster_unlocked',
    'gauge',
    'Value is 1 if the cluster is unlocked, 0 if locked.',
    flag(status['cluster_unlocked'] === true),
  );
  // 3.0.2 ships this HELP text copied from cluster_unlocked; scrapers may match on it.
  add(
    'patroni_failsafe_mode_is_active',
    'gauge',
    'Value is 1 if the cluster is unlocked, 0 if locked.',
    flag(status['failsafe_mode_is_active'] === true),
  );
  add(
    'patroni_postgres_timeline',
    'counter',
    'Postgres timeline of this node (if running), 0 otherwise.',
    num(status['timeline']),
  );
  add(
    'patroni_dcs_last_seen',
    'gauge',
    'Epoch timestamp when DCS was last contacted successfully by Patroni.',
    view.dcsLastSeen,
  );
  add(
    'patroni_pending_restart',
    'gauge',
    'Value is 1 if the node needs a restart, 0 otherwise.',
    flag(view.pg.pendingRestart),
  );
  add(
    'patroni_is_paused',
    'gauge',
    'Value is 1 if auto failover is disabled, 0 otherwise.',
    flag(view.paused),
  );
  return lines.join('\n') + '\n';
}

/** `3.0.2` -> `030002`. */
export function paddedVersion(version: string): string {
  return version
    .split('.')
    .map((part) => part.padStart(2, '0'))
    .join('');
}

/** Python prints a float: `1795316284.375817`, `1795316284.0`; 0 (an int) when unknown. */
function epochSeconds(value: unknown): string {
  if (typeof value !== 'string') return '0';
  const parsed = parseTimestamp(value);
  if (parsed === null) return '0';
  const seconds = parsed.epochMicros / 1e6;
  return Number.isInteger(seconds) ? `${seconds}.0` : String(seconds);
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
