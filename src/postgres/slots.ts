import type { ExistingSlot, SlotPlan } from '../core/pg/slots.js';
import { errorMessage } from '../shared/errors.js';
import type { SqlExecutor } from './connection.js';
import { withConnection } from './connection.js';
import { existingSlots, type RawSlotRow } from './monitor-query.js';
import type { ConnectParams } from './connection.js';
import type { Logger } from '../shared/log/logger.js';

/** Non-temporary slots as PostgreSQL has them. */
export async function listSlots(sql: SqlExecutor): Promise<ExistingSlot[]> {
  const rows = await sql.query<RawSlotRow>(
    `SELECT slot_name, slot_type, plugin, database, active,
            pg_catalog.pg_wal_lsn_diff(confirmed_flush_lsn, '0/0')::bigint AS confirmed_flush_lsn
       FROM pg_catalog.pg_replication_slots WHERE NOT temporary`,
  );
  return existingSlots(rows);
}

/**
 * Carries out a plan of core/pg/slots.ts `planSlots`: drops (only inactive slots, guarded again
 * in SQL), then creates; logical slots are created in a connection to their database. Each slot
 * is its own statement, so one failure does not block the others; failures are logged.
 */
export async function applySlotPlan(
  sql: SqlExecutor,
  plan: SlotPlan,
  logger: Logger,
  connectTo: (database: string) => ConnectParams,
): Promise<void> {
  for (const name of plan.drop) {
    try {
      const rows = await sql.query<{ dropped: boolean }>(
        `SELECT pg_catalog.pg_drop_replication_slot(slot_name) IS NOT NULL AS dropped
           FROM pg_catalog.pg_replication_slots WHERE slot_name = $1 AND NOT active`,
        [name],
      );
      if (rows.length > 0) logger.info(`Dropped unknown replication slot '${name}'`);
    } catch (err) {
      logger.error(`Failed to drop replication slot '${name}': ${errorMessage(err)}`);
    }
  }
  for (const { name, spec } of plan.create) {
    try {
      if (spec.type === 'physical') {
        await sql.query(
          `SELECT pg_catalog.pg_create_physical_replication_slot($1, true)
             WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_replication_slots WHERE slot_name = $1)`,
          [name],
        );
      } else {
        await withConnection(connectTo(spec.database), (db) =>
          db.query(
            `SELECT pg_catalog.pg_create_logical_replication_slot($1, $2)
               WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_replication_slots WHERE slot_name = $1)`,
            [name, spec.plugin],
          ),
        );
        logger.info(`Created logical replication slot '${name}' in database ${spec.database}`);
      }
    } catch (err) {
      // Patroni's wording for each kind (operators grep for it).
      const what =
        spec.type === 'logical'
          ? `logical replication slot '${name}' plugin='${spec.plugin}'`
          : `physical replication slot '${name}'`;
      logger.error(`Failed to create ${what}: ${errorMessage(err)}`);
    }
  }
}
