import type { LocalPgState } from '../core/model/local-pg.js';
import { errorMessage } from '../shared/errors.js';
import type { PgContext } from './context.js';
import { MONITOR_SQL, type MonitorRow } from './monitor-query.js';
import { fromRow } from './observe.js';

/** What one REST request's read of PostgreSQL found (Patroni's `get_postgresql_status` query). */
export interface PgStatusRead {
  readonly pg: LocalPgState;
  /** `pg_last_xact_replay_timestamp()` as text, null on a primary or before any replay. */
  readonly replayedTimestamp: string | null;
}

/**
 * The monitoring query run for the REST API, between HA cycles: it only reads. Unlike the loop's
 * `observe()` it moves no lifecycle state and records nothing for the loop, so a request can
 * never change what the next cycle decides. null when the postmaster the loop last found
 * answering is not there to ask, or the query fails: the caller keeps the loop's view.
 */
export async function queryStatus(ctx: PgContext): Promise<PgStatusRead | null> {
  if (ctx.answeredPid === null) return null;
  try {
    const row = (await ctx.conn.query<MonitorRow>(MONITOR_SQL))[0];
    if (row === undefined) return null;
    return { pg: fromRow(ctx, row), replayedTimestamp: row.replayed_timestamp };
  } catch (err) {
    ctx.logger.debug(`REST status query failed: ${errorMessage(err)}`);
    return null;
  }
}
