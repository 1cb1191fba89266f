import pg from 'pg';
import type { QueryResultRow } from 'pg';
import { PatroniError } from '../shared/errors.js';
import { endPromptly, openPgClient } from './pg-client.js';
import type { ConnectParams } from './pg-client.js';

export type { ConnectParams } from './pg-client.js';

/** The narrow query seam the rest of the layer uses (fakeable). */
export interface SqlExecutor {
  query<R extends QueryResultRow = QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
}

/**
 * One reused connection to the local PostgreSQL: opened on first use, dropped on any connection
 * error and reopened by the next query (one retry), so a restart of PostgreSQL costs one failed
 * query at most. Errors leave as PatroniError PG_QUERY_FAILED with the SQLSTATE in details.
 */
export class PgConnection implements SqlExecutor {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;

  constructor(private readonly params: () => ConnectParams) {}

  async query<R extends QueryResultRow = QueryResultRow>(
    sql: string,
    params: unknown[] = [],
  ): Promise<R[]> {
    try {
      return await this.queryOnce<R>(sql, params);
    } catch (err) {
      if (!isConnectionError(err)) throw translatePgError(err, sql);
      await this.close();
      try {
        return await this.queryOnce<R>(sql, params);
      } catch (again) {
        if (isConnectionError(again)) await this.close();
        throw translatePgError(again, sql);
      }
    }
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = null;
    this.connecting = null;
    if (c !== null) await endPromptly(c);
  }

  private async queryOnce<R extends QueryResultRow>(sql: string, params: unknown[]): Promise<R[]> {
    const client = await this.connect();
    const result = await client.query<R>(sql, params);
    return result.rows;
  }

  private connect(): Promise<pg.Client> {
    if (this.client !== null) return Promise.resolve(this.client);
    this.connecting ??= openPgClient(this.params()).then(
      (c) => {
        c.on('error', () => {
          if (this.client === c) this.client = null;
        });
        c.on('end', () => {
          if (this.client === c) this.client = null;
        });
        this.client = c;
        this.connecting = null;
        return c;
      },
      (err: unknown) => {
        this.connecting = null;
        throw err;
      },
    );
    return this.connecting;
  }
}

/** A one-off connection (to the leader, for rewind checks), always closed. */
export async function withConnection<T>(
  params: ConnectParams,
  work: (sql: SqlExecutor) => Promise<T>,
): Promise<T> {
  let client: pg.Client;
  try {
    client = await openPgClient(params);
  } catch (err) {
    throw translatePgError(err, 'connect');
  }
  client.on('error', () => undefined);
  try {
    return await work({
      query: async <R extends QueryResultRow>(sql: string, p: unknown[] = []) => {
        try {
          return (await client.query<R>(sql, p)).rows;
        } catch (err) {
          throw translatePgError(err, sql);
        }
      },
    });
  } finally {
    await endPromptly(client);
  }
}

/** SQLSTATE of a pg error, if any. */
export function sqlState(err: unknown): string | undefined {
  if (err instanceof PatroniError) {
    const s = err.details['sqlState'];
    return typeof s === 'string' ? s : undefined;
  }
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

function isConnectionError(err: unknown): boolean {
  const state = sqlState(err);
  if (state !== undefined) return state.startsWith('08') || state.startsWith('57P');
  return true; // network errors (ECONNREFUSED, ECONNRESET, "Connection terminated", timeouts)
}

/** Translates a pg/network error once, here at the edge. Never includes the password. */
export function translatePgError(err: unknown, what: string): PatroniError {
  if (err instanceof PatroniError) return err;
  const state = sqlState(err);
  const message = err instanceof Error ? err.message : String(err);
  return new PatroniError('PG_QUERY_FAILED', message, {
    cause: err,
    recoverable: state === undefined || isConnectionError(err),
    details: { sqlState: state ?? null, what: what.slice(0, 80) },
  });
}
