import { memberConnKwargs } from '../core/pg/conn-kwargs.js';
import type { PgCredentials } from '../core/pg/options.js';
import { PatroniError } from '../shared/errors.js';
import { translatePgError } from './connection.js';
import type { ConnectParams } from './connection.js';
import { openPgClient } from './pg-client.js';

/** The leader as the rewind and clone code needs it. */
export interface LeaderRef {
  readonly name: string;
  readonly connUrl: string;
}

/**
 * SQL connection parameters toward a member's conn_url as `cred` (Patroni's
 * `member.conn_kwargs(auth)`): the user's ssl/gss settings travel with it.
 */
export function memberConnectParams(
  leader: LeaderRef,
  cred: PgCredentials,
  database = 'postgres',
): ConnectParams {
  const kw = memberConnKwargs(leader.connUrl);
  if (kw === null) {
    throw new PatroniError('CONFIG_INVALID', `member ${leader.name} has an unusable conn_url`);
  }
  return {
    host: kw['host'] ?? '',
    port: Number(kw['port']),
    user: cred.username,
    password: cred.password,
    database: kw['dbname'] ?? database,
    connectTimeoutMs: 3000,
    statementTimeoutMs: 2000,
    libpq: cred.libpq,
  };
}

/**
 * A physical replication connection (what psycopg's `replication=1` gives Patroni), for
 * IDENTIFY_SYSTEM, TIMELINE_HISTORY and CREATE_REPLICATION_SLOT.
 */
export async function withReplicationConnection<T>(
  params: ConnectParams,
  work: (query: (command: string) => Promise<Record<string, unknown>[]>) => Promise<T>,
): Promise<T> {
  let client;
  try {
    client = await openPgClient(params, { replication: true, statementTimeout: false });
  } catch (err) {
    throw translatePgError(err, 'replication connection');
  }
  try {
    return await work(
      async (command) => (await client.query(command)).rows as Record<string, unknown>[],
    );
  } catch (err) {
    throw translatePgError(err, 'replication connection');
  } finally {
    await client.end().catch(() => undefined);
  }
}
