import pg from 'pg';
import { parseConnUrl } from '../core/pg/conninfo.js';
import type { PgCredentials } from '../core/pg/options.js';
import { PatroniError } from '../shared/errors.js';
import { translatePgError } from './connection.js';
import type { ConnectParams } from './connection.js';

/** The leader as the rewind and clone code needs it. */
export interface LeaderRef {
  readonly name: string;
  readonly connUrl: string;
}

/** SQL connection parameters toward a member's conn_url with the given credentials. */
export function memberConnectParams(
  leader: LeaderRef,
  cred: PgCredentials,
  database = 'postgres',
): ConnectParams {
  const url = parseConnUrl(leader.connUrl);
  if (url === null || url['host'] === undefined) {
    throw new PatroniError('CONFIG_INVALID', `member ${leader.name} has an unusable conn_url`);
  }
  return {
    host: url['host'],
    port: Number(url['port'] ?? 5432),
    user: cred.username,
    password: cred.password,
    database: url['dbname'] ?? database,
    connectTimeoutMs: 3000,
    statementTimeoutMs: 2000,
  };
}

/**
 * A physical replication connection (what psycopg's `replication=1` gives Patroni), for
 * IDENTIFY_SYSTEM and TIMELINE_HISTORY. pg supports the startup parameter, its types do not.
 */
export async function withReplicationConnection<T>(
  params: ConnectParams,
  work: (query: (command: string) => Promise<Record<string, unknown>[]>) => Promise<T>,
): Promise<T> {
  const config = {
    host: params.host,
    port: params.port,
    user: params.user,
    database: params.database,
    connectionTimeoutMillis: params.connectTimeoutMs ?? 3000,
    application_name: 'Patroni',
    replication: 'true',
    ...(params.password === undefined ? {} : { password: params.password }),
  };
  // `replication` is a startup parameter pg sends verbatim; @types/pg does not list it.
  const client = new pg.Client(config);
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await work(
      async (command) => (await client.query(command)).rows as Record<string, unknown>[],
    );
  } catch (err) {
    throw translatePgError(err, 'replication connection');
  } finally {
    await client.end().catch(() => undefined);
  }
}
