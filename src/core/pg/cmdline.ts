import type { PgParamValue } from './options.js';
import { confText } from './quote.js';

/**
 * Parameters Patroni always passes on the postmaster command line, in Patroni's order
 * (`ConfigHandler.CMDLINE_OPTIONS`), so `ALTER SYSTEM` can never override them.
 * `wal_keep_*` are written to postgresql.conf only.
 */
export const CMDLINE_PARAMETERS: readonly string[] = [
  'listen_addresses',
  'port',
  'cluster_name',
  'wal_level',
  'hot_standby',
  'max_connections',
  'max_wal_senders',
  'max_prepared_transactions',
  'max_locks_per_transaction',
  'track_commit_timestamp',
  'max_replication_slots',
  'max_worker_processes',
  'wal_log_hints',
];

/** `postgres -D <data> --config-file=<conf> --listen_addresses=... --port=... ...`. */
export function postmasterArgs(
  dataDir: string,
  configFile: string,
  parameters: Readonly<Record<string, PgParamValue>>,
): string[] {
  const args = ['-D', dataDir, `--config-file=${configFile}`];
  for (const name of CMDLINE_PARAMETERS) {
    const value = parameters[name];
    if (value !== undefined) args.push(`--${name}=${confText(value)}`);
  }
  return args;
}
