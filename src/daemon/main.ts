/**
 * Composition root of the daemon. STUB: the lead replaces this with the real wiring (DCS,
 * PostgreSQL, REST API, HA loop). The signature is the contract with src/cli/patroni.ts.
 */
import type { ConfigSource } from '../config/load.js';
import type { PatroniConfig } from '../config/schema.js';
import { PatroniLogger } from '../shared/log/patroni-logger.js';

/** Runs until stopped; resolves to the process exit code. `source.load()` re-reads on SIGHUP. */
export function runDaemon(config: PatroniConfig, source: ConfigSource): Promise<number> {
  const logger = PatroniLogger.create(config.log ?? {});
  logger.error(`daemon not implemented yet (configuration from ${source.path ?? source.kind})`);
  logger.close();
  return Promise.resolve(1);
}
