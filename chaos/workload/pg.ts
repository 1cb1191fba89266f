import pg from 'pg';

/** Short timeouts everywhere: a client stuck on a dead or stalled server is a gap we must see. */
export interface ClientTimeouts {
  readonly connectMs: number;
  readonly queryMs: number;
}

/**
 * A client for `url` whose every wait is bounded (connect, and each query on the client side,
 * since a commit waiting for a synchronous standby ignores statement_timeout), and whose
 * asynchronous 'error' (a server ending the session) is swallowed: the next query reports it.
 */
export async function connectClient(url: string, t: ClientTimeouts): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: t.connectMs,
    query_timeout: t.queryMs,
    statement_timeout: t.queryMs,
    application_name: 'chaos',
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  return client;
}

export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((r) => {
    setTimeout(r, ms);
  });

/** Runs one statement on a fresh connection, with generous timeouts (setup and final reads). */
export async function queryOnce<R extends pg.QueryResultRow>(
  url: string,
  text: string,
  timeoutMs = 10_000,
): Promise<R[]> {
  const client = await connectClient(url, { connectMs: timeoutMs, queryMs: timeoutMs });
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}
