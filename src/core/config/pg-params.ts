/**
 * The PostgreSQL parameters Patroni controls (spec/core.md §14.2, surface.md §1.14; Patroni's
 * `ConfigHandler.CMDLINE_OPTIONS`). They go on the postmaster command line, so a local value
 * would be silently overridden anyway: Patroni drops local values and takes a dynamic value only
 * when its check passes, else the default. listen_addresses, port and cluster_name are added by
 * the postgres layer from `postgresql.listen` and `scope`.
 */
import type { PgParamValue } from './types.js';
import { parseBool, parseIntValue } from './values.js';

export interface CmdlineOption {
  readonly default: PgParamValue;
  /** Whether a value from the DCS `config` key may replace the default. */
  readonly accepts: (value: PgParamValue) => boolean;
  /** First major version that knows the parameter. */
  readonly minMajor?: number;
  /** First major version that no longer knows it. */
  readonly maxMajorExclusive?: number;
}

const never = (): boolean => false;
const intAtLeast =
  (min: number, unit?: string) =>
  (value: PgParamValue): boolean => {
    const n = parseIntValue(value, unit);
    return n !== undefined && n >= min;
  };
const isBool = (value: PgParamValue): boolean => parseBool(value) !== undefined;

/** Patroni 3.0.2's table; the order is the postmaster command-line order. */
export const CMDLINE_OPTIONS: Readonly<Record<string, CmdlineOption>> = {
  listen_addresses: { default: '', accepts: never },
  port: { default: 5432, accepts: never },
  cluster_name: { default: '', accepts: never, minMajor: 9.5 },
  wal_level: {
    default: 'hot_standby',
    accepts: (v) => ['hot_standby', 'replica', 'logical'].includes(String(v).toLowerCase()),
  },
  hot_standby: { default: 'on', accepts: never },
  max_connections: { default: 100, accepts: intAtLeast(25) },
  max_wal_senders: { default: 10, accepts: intAtLeast(3) },
  wal_keep_segments: { default: 8, accepts: intAtLeast(1), maxMajorExclusive: 13 },
  wal_keep_size: { default: '128MB', accepts: intAtLeast(16, 'MB'), minMajor: 13 },
  max_prepared_transactions: { default: 0, accepts: intAtLeast(0) },
  max_locks_per_transaction: { default: 64, accepts: intAtLeast(32) },
  track_commit_timestamp: { default: 'off', accepts: isBool, minMajor: 9.5 },
  max_replication_slots: { default: 10, accepts: intAtLeast(4), minMajor: 9.4 },
  max_worker_processes: { default: 8, accepts: intAtLeast(2), minMajor: 9.4 },
  wal_log_hints: { default: 'on', accepts: never, minMajor: 9.4 },
};

/** Set by the postgres layer from the local config, never from any parameters map. */
export const LOCAL_ONLY_PARAMETERS: ReadonlySet<string> = new Set([
  'listen_addresses',
  'port',
  'cluster_name',
]);

export function isCmdlineOption(name: string): boolean {
  return Object.hasOwn(CMDLINE_OPTIONS, name.toLowerCase());
}

export function appliesTo(option: CmdlineOption, major: number): boolean {
  if (option.minMajor !== undefined && major < option.minMajor) return false;
  if (option.maxMajorExclusive !== undefined && major >= option.maxMajorExclusive) return false;
  return true;
}

const SEGMENT_MB = 16;

/**
 * `wal_keep_segments` and `wal_keep_size` say the same thing before and after PostgreSQL 13;
 * whichever the operator gave is converted for the running version (16 MB segments).
 */
export function walKeepParameter(
  major: number,
  segments: PgParamValue | undefined,
  size: PgParamValue | undefined,
): { name: string; value: PgParamValue } {
  if (major >= 13) {
    if (size !== undefined) return { name: 'wal_keep_size', value: size };
    const n = segments === undefined ? undefined : parseIntValue(segments);
    return { name: 'wal_keep_size', value: n === undefined ? '128MB' : `${n * SEGMENT_MB}MB` };
  }
  if (segments !== undefined) return { name: 'wal_keep_segments', value: segments };
  const mb = size === undefined ? undefined : parseIntValue(size, 'MB');
  return {
    name: 'wal_keep_segments',
    value: mb === undefined ? 8 : Math.max(1, Math.ceil(mb / SEGMENT_MB)),
  };
}
