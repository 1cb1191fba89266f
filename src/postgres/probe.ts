import { canConnect } from '../shared/net.js';
import pg from 'pg';
import { sqlState } from './connection.js';
import type { ConnectParams } from './connection.js';

/** pg_isready's answers: running (0), rejecting (1), no response (2). */
export type ServerReadiness = 'running' | 'rejecting' | 'no response';

/**
 * Like `pg_isready`, without a process: a startup packet gets "the database system is starting
 * up" (57P03) while recovering; any other answer (even an auth failure) means it accepts
 * connections; a network error means nobody answers.
 */
export async function probeServer(params: ConnectParams): Promise<ServerReadiness> {
  const client = new pg.Client({
    host: params.host,
    port: params.port,
    user: params.user,
    database: params.database,
    ...(params.password === undefined ? {} : { password: params.password }),
    connectionTimeoutMillis: params.connectTimeoutMs ?? 3000,
    application_name: 'Patroni',
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return 'running';
  } catch (err) {
    const state = sqlState(err);
    if (state === '57P03') return 'rejecting';
    return state === undefined ? 'no response' : 'running';
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Whether something already listens on host:port (another server would steal our clients). */
export function portInUse(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  if (host.startsWith('/')) return Promise.resolve(false);
  return canConnect(host, port, timeoutMs);
}
