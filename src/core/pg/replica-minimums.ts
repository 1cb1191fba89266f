import type { PgParamValue } from './options.js';

/** Parameters a hot standby may not run lower than its primary had (recorded in pg_control). */
export const CONTROLDATA_MINIMUMS: readonly string[] = [
  'max_connections',
  'max_prepared_transactions',
  'max_locks_per_transaction',
  'max_worker_processes',
  'max_wal_senders',
];

/**
 * Spec/core.md §14.7: for a replica start, every parameter above that is lower than its
 * `<name> setting` in pg_controldata is raised to the control-file value (PostgreSQL would refuse
 * to start otherwise). Returns only the raised ones.
 */
export function replicaMinimums(
  parameters: Readonly<Record<string, PgParamValue>>,
  controlData: Readonly<Record<string, string>>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of CONTROLDATA_MINIMUMS) {
    const recorded = Number(controlData[`${name} setting`]);
    if (!Number.isInteger(recorded)) continue;
    // Unset parameters are left to PostgreSQL (core/config always sets these five).
    const value = parameters[name];
    if (value === undefined) continue;
    const configured = Number(value);
    if (!Number.isFinite(configured) || configured < recorded) out[name] = recorded;
  }
  return out;
}
