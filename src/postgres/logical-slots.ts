import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { rewindCredentials } from '../core/pg/options.js';
import type { SlotAdvance } from '../core/pg/logical-slots.js';
import type { SlotSpec } from '../core/pg/slots.js';
import { formatLsn } from '../core/model/lsn.js';
import { errorMessage } from '../shared/errors.js';
import { localConnectParams } from './context.js';
import type { PgContext } from './context.js';
import { sqlState, withConnection } from './connection.js';
import { ensureDirectory } from './files.js';
import { memberConnectParams, type LeaderRef } from './leader-link.js';

/** A logical slot as the primary has it, with the bytes of its `pg_replslot/<name>/state`. */
export interface LeaderSlotState {
  readonly name: string;
  readonly database: string;
  readonly plugin: string;
  readonly state: Buffer;
}

interface LeaderSlotRow {
  slot_name: string;
  slot_type: string;
  datname: string;
  plugin: string | null;
  state: Buffer;
}

/**
 * Reads the state files of the named logical slots from the primary (`copy_logical_slots`), with
 * the rewind user's credentials, which may call pg_read_binary_file. A slot whose definition on
 * the primary differs from the configuration is not copied (Patroni's warning).
 */
export async function readLeaderSlotStates(
  ctx: PgContext,
  leader: LeaderRef,
  wanted: ReadonlyMap<string, SlotSpec>,
): Promise<LeaderSlotState[]> {
  const params = memberConnectParams(leader, rewindCredentials(ctx.options));
  const rows = await withConnection(params, (sql) =>
    sql.query<LeaderSlotRow>(
      `SELECT slot_name, slot_type, datname, plugin,
              pg_catalog.pg_read_binary_file('pg_replslot/' || slot_name || '/state') AS state
         FROM pg_catalog.pg_get_replication_slots() JOIN pg_catalog.pg_database ON datoid = oid
        WHERE NOT pg_catalog.pg_is_in_recovery() AND slot_name = ANY($1)`,
      [[...wanted.keys()]],
    ),
  );
  const out: LeaderSlotState[] = [];
  for (const r of rows) {
    const spec = wanted.get(r.slot_name);
    if (spec === undefined) continue;
    const same =
      spec.type === 'logical' &&
      r.slot_type === 'logical' &&
      spec.database === r.datname &&
      spec.plugin === r.plugin;
    if (!same) {
      ctx.logger.warning(
        `Will not copy the logical slot "${r.slot_name}" due to the configuration mismatch: ` +
          `configuration=${JSON.stringify(spec)}, slot on the primary=` +
          JSON.stringify({ type: r.slot_type, database: r.datname, plugin: r.plugin }),
      );
      continue;
    }
    out.push({ name: r.slot_name, database: r.datname, plugin: r.plugin ?? '', state: r.state });
  }
  return out;
}

/**
 * Puts copied slot state files into `pg_replslot` (PostgreSQL must be stopped: it reads them only
 * at start-up). Each slot goes to `<name>.tmp` first, fsynced, then renamed over any old copy, so
 * a crash leaves either the old slot or the new one (PostgreSQL removes `.tmp` leftovers).
 */
export async function installSlotStates(
  ctx: PgContext,
  states: readonly LeaderSlotState[],
): Promise<void> {
  const dir = join(ctx.paths.dataDir, 'pg_replslot');
  const owner = ctx.options.owner;
  for (const s of states) {
    const final = join(dir, s.name);
    const tmp = `${final}.tmp`;
    await rm(tmp, { recursive: true, force: true });
    await ensureDirectory(tmp, owner);
    const fh = await open(join(tmp, 'state'), 'w', 0o600);
    try {
      await fh.writeFile(s.state);
      if (owner !== null && owner !== undefined) await fh.chown(owner.uid, owner.gid);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsyncPath(tmp);
    await rm(final, { recursive: true, force: true });
    await rename(tmp, final);
    await fsyncPath(final);
  }
  await fsyncPath(dir);
}

async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } catch {
    // Some filesystems refuse a directory fsync; the rename itself already happened.
  } finally {
    await fh.close();
  }
}

/** WAL the advance needs is gone: the copy must be taken again (SQLSTATE 58P01). */
export type AdvanceOutcome = 'advanced' | 'failed' | 'recopy';

/**
 * `pg_replication_slot_advance` of a replica's copy to the position the primary published, in a
 * connection to the slot's database (logical slots belong to one). No statement timeout: a slot
 * far behind takes a while to decode up to the target.
 */
export async function advanceSlot(ctx: PgContext, a: SlotAdvance): Promise<AdvanceOutcome> {
  const params = {
    ...localConnectParams(ctx.options),
    database: a.database,
    statementTimeoutMs: 0,
  };
  try {
    await withConnection(params, (sql) =>
      sql.query('SELECT pg_catalog.pg_replication_slot_advance($1, $2::pg_lsn)', [
        a.name,
        formatLsn(a.lsn),
      ]),
    );
    return 'advanced';
  } catch (err) {
    ctx.logger.error(
      `Failed to advance logical replication slot '${a.name}': ${errorMessage(err)}`,
    );
    return sqlState(err) === '58P01' ? 'recopy' : 'failed';
  }
}
