/**
 * Layouts older Patroni versions wrote and Patroni still accepts (surface.md §1.1 item 7), moved
 * into today's places before the schema sees them, so old files keep working unchanged.
 */
import { isRecord } from '../core/config/values.js';

export function upgradeLegacyLayout(
  raw: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
  const zk = out['zookeeper'];
  if (isRecord(zk) && isRecord(zk['exhibitor']) && out['exhibitor'] === undefined) {
    out['exhibitor'] = zk['exhibitor'];
    delete out['zookeeper'];
  }
  const pg = out['postgresql'];
  if (!isRecord(pg)) return out;
  const newPg: Record<string, unknown> = { ...pg };
  if (out['name'] === undefined && typeof pg['name'] === 'string') out['name'] = pg['name'];
  const auth: Record<string, unknown> = isRecord(pg['authentication'])
    ? { ...pg['authentication'] }
    : {};
  if (auth['superuser'] === undefined && isRecord(pg['superuser']))
    auth['superuser'] = pg['superuser'];
  if (auth['replication'] === undefined && isRecord(pg['replication'])) {
    auth['replication'] = pg['replication'];
  }
  delete newPg['superuser'];
  delete newPg['replication'];
  if (auth['superuser'] === undefined && isRecord(pg['pg_rewind'])) {
    auth['superuser'] = pg['pg_rewind'];
  }
  if (Object.keys(auth).length > 0 || pg['authentication'] !== undefined) {
    newPg['authentication'] = auth;
  }
  out['postgresql'] = newPg;
  return out;
}
