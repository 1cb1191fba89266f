import { canConnect } from '../shared/net.js';
import { sqlState } from './connection.js';
import type { ConnectParams } from './connection.js';
import { openPgClient } from './pg-client.js';

/** pg_isready's answers: running (0), rejecting (1), no response (2). */
export type ServerReadiness = 'running' | 'rejecting' | 'no response';

/**
 * Like `pg_isready`, without a process: a startup packet gets "the database system is starting
 * up" (57P03) while recovering; any other answer (even an auth failure) means it accepts
 * connections; a network error means nobody answers.
 */
export async function probeServer(params: ConnectParams): Promise<ServerReadiness> {
  try {
    // Plain on purpose: any answer, even a refusal that asks for TLS, means "accepting".
    const plain = { ...params, libpq: { sslmode: 'disable' } };
    const client = await openPgClient(plain, { statementTimeout: false });
    await client.end().catch(() => undefined);
    return 'running';
  } catch (err) {
    const state = sqlState(err);
    if (state === '57P03') return 'rejecting';
    return state === undefined ? 'no response' : 'running';
  }
}

/** Whether something already listens on host:port (another server would steal our clients). */
export function portInUse(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  if (host.startsWith('/')) return Promise.resolve(false);
  return canConnect(host, port, timeoutMs);
}
