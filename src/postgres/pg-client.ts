import pg from 'pg';
import type { ClientConfig } from 'pg';
import { fallsBack, sslPlan } from './pg-tls.js';

/** Where and as whom to connect; `libpq` carries the user's ssl/gss settings. */
export interface ConnectParams {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password?: string | undefined;
  readonly database: string;
  readonly connectTimeoutMs?: number | undefined;
  /** Default 2000, as Patroni's local connection sets it; 0 for none. */
  readonly statementTimeoutMs?: number | undefined;
  readonly applicationName?: string | undefined;
  /** sslmode, sslrootcert, sslcert, sslkey, ... of the `authentication.<user>` entry. */
  readonly libpq?: Readonly<Record<string, string>> | undefined;
}

export interface OpenOptions {
  /** A physical replication connection (psycopg's `replication=1`). */
  readonly replication?: boolean;
  /** Whether to set statement_timeout (statementTimeoutMs, default 2000). */
  readonly statementTimeout?: boolean;
}

/**
 * Opens a connected client, trying TLS and plain connections in the order the ssl settings ask
 * (libpq's allow/prefer fall back); the last failure is thrown as pg reported it.
 */
export async function openPgClient(
  p: ConnectParams,
  options: OpenOptions = {},
): Promise<pg.Client> {
  const plan = await sslPlan(p.host, p.libpq);
  const statementTimeout = options.statementTimeout === false ? 0 : (p.statementTimeoutMs ?? 2000);
  let lastError: unknown = new Error('no connection attempt');
  for (const [i, ssl] of plan.attempts.entries()) {
    const config: ClientConfig & { replication?: string } = {
      host: p.host,
      port: p.port,
      user: p.user,
      database: p.database,
      ...(p.password === undefined ? {} : { password: p.password }),
      application_name: p.applicationName ?? 'Patroni',
      connectionTimeoutMillis: p.connectTimeoutMs ?? 3000,
      ...(statementTimeout > 0 ? { statement_timeout: statementTimeout } : {}),
      ssl,
      ...(ssl !== false && plan.channelBinding ? { enableChannelBinding: true } : {}),
      // A startup parameter pg sends verbatim; its types do not list it.
      ...(options.replication === true ? { replication: 'true' } : {}),
    };
    const client = new pg.Client(config);
    client.on('error', () => undefined);
    try {
      await client.connect();
      return client;
    } catch (err) {
      await client.end().catch(() => undefined);
      lastError = err;
      if (i === plan.attempts.length - 1 || !fallsBack(err)) break;
    }
  }
  throw lastError;
}

/** How long a goodbye may take before the socket is simply closed. */
const END_GRACE_MS = 1000;

/**
 * Ends a client as libpq's PQfinish does: Terminate, then the socket closed, without depending on
 * the server to hang up. pg's `end()` waits for the server's side to close, and a hung server
 * (stopped, or stuck in the kernel) never closes it: a stop or start of PostgreSQL that closed
 * the monitoring connection first waited for good, never reaching its signals.
 */
export async function endPromptly(client: pg.Client, graceMs = END_GRACE_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, graceMs);
  });
  await Promise.race([client.end().catch(() => undefined), grace]);
  clearTimeout(timer);
  client.connection.stream.destroy();
}
