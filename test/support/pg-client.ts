import pg from 'pg';
import type { ConnectionOptions } from 'node:tls';
import { SUPERUSER_PASSWORD } from './node-config.js';

export interface SuperuserClientOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 3000 ms. */
  readonly connectTimeoutMs?: number;
  /** A client-side limit on each query (default: none). */
  readonly queryTimeoutMs?: number;
  readonly ssl?: ConnectionOptions;
}

/** A not yet connected superuser client of a test cluster node's PostgreSQL at `port`. */
export function superuserClient(port: number, o: SuperuserClientOptions = {}): pg.Client {
  const client = new pg.Client({
    host: o.host ?? '127.0.0.1',
    port,
    user: 'postgres',
    password: SUPERUSER_PASSWORD,
    database: 'postgres',
    connectionTimeoutMillis: o.connectTimeoutMs ?? 3000,
    ...(o.queryTimeoutMs === undefined ? {} : { query_timeout: o.queryTimeoutMs }),
    ...(o.ssl === undefined ? {} : { ssl: o.ssl }),
  });
  // A server that goes away (a test stopping it, HAProxy shutting a session) makes pg emit
  // 'error' on the client; unheard, that is an uncaught exception that fails whichever test runs.
  // The pending query still rejects, which is where callers see it.
  client.on('error', () => undefined);
  return client;
}
