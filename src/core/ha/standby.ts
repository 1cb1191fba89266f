import type { FollowTarget, StandbyClusterConfig } from './input.js';

export type { StandbyClusterConfig };

function text(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number') return String(value);
  return null;
}

function int(value: unknown): number | null {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : null;
}

/**
 * Reads a raw `standby_cluster` value. It is active only when `host`, `port` or `restore_command`
 * is set (Patroni's `is_standby_cluster`); anything else means a normal cluster (null).
 */
export function parseStandbyCluster(raw: unknown): StandbyClusterConfig | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const r = raw as Readonly<Record<string, unknown>>;
  const methods = r['create_replica_methods'];
  const cfg: StandbyClusterConfig = {
    host: text(r['host']),
    port: int(r['port']),
    primarySlotName: text(r['primary_slot_name']),
    createReplicaMethods: Array.isArray(methods)
      ? methods.filter((m): m is string => typeof m === 'string')
      : [],
    restoreCommand: text(r['restore_command']),
    archiveCleanupCommand: text(r['archive_cleanup_command']),
    recoveryMinApplyDelay: text(r['recovery_min_apply_delay']),
  };
  const active = cfg.host !== null || cfg.port !== null || cfg.restoreCommand !== null;
  return active ? cfg : null;
}

/** The name our remote source goes by (Patroni adds a random suffix; we keep it stable). */
export const REMOTE_MEMBER = 'remote_member';

/**
 * The remote primary a standby leader replicates from (`get_remote_member`): host(s) and port of
 * the section, with its settings for the recovery configuration.
 */
export function remoteTarget(cfg: StandbyClusterConfig): FollowTarget {
  const port = cfg.port ?? 5432;
  const hosts = (cfg.host ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  const connUrl =
    hosts.length === 0 ? null : `postgres://${hosts.map((h) => `${h}:${port}`).join(',')}/postgres`;
  return { name: REMOTE_MEMBER, connUrl, apiUrl: null, standby: cfg };
}
