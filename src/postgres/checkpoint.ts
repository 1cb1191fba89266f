import { withConnection } from './connection.js';
import { localConnectParams } from './context.js';
import type { PgContext } from './context.js';

/**
 * CHECKPOINT on its own connection without statement_timeout (as Patroni does): on a busy
 * cluster it takes far longer than the 2 s the monitoring connection allows.
 */
export async function localCheckpoint(ctx: PgContext): Promise<void> {
  await withConnection({ ...localConnectParams(ctx.options), statementTimeoutMs: 0 }, (sql) =>
    sql.query('CHECKPOINT'),
  );
}
