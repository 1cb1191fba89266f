import { parseConnUrl } from '../core/pg/conninfo.js';
import type { PgContext } from './context.js';
import { livePostmaster, signalProcess } from './postmaster-pid.js';
import { portInUse } from './probe.js';

/** A connect that takes longer than this says the upstream is not back yet: try next cycle. */
const CONNECT_TIMEOUT_MS = 500;

/**
 * Sends PostgreSQL a SIGHUP when `connUrl` accepts a TCP connection: the startup process's wait
 * between two attempts to reach its upstream (`wal_retrieve_retry_interval`) ends on the signal,
 * so the WAL receiver tries again now instead of up to 5 s later. The configuration is reloaded
 * with it, unchanged. True when it signalled.
 */
export async function wakeWalReceiver(
  ctx: PgContext,
  upstream: { readonly name: string; readonly connUrl: string },
): Promise<boolean> {
  const params = parseConnUrl(upstream.connUrl);
  const host = params?.['host'];
  const port = Number(params?.['port'] ?? '5432');
  if (host === undefined || host === '' || !Number.isInteger(port)) return false;
  if (!(await portInUse(host, port, CONNECT_TIMEOUT_MS))) return false;
  const pm = await livePostmaster(ctx.paths.dataDir);
  if (pm === null) return false;
  ctx.logger.info(`waking the WAL receiver: ${upstream.name} accepts connections again`);
  signalProcess(pm.pid, 'SIGHUP');
  return true;
}
