/**
 * Composition root of the daemon: the contract with src/cli/patroni.ts.
 */
import type { ConfigSource } from '../config/load.js';
import type { PatroniConfig } from '../config/schema.js';
import { errorMessage } from '../shared/errors.js';
import { PatroniLogger } from '../shared/log/patroni-logger.js';
import { Daemon } from './daemon.js';

/** Runs until stopped; resolves to the process exit code. `source.load()` re-reads on SIGHUP. */
export async function runDaemon(config: PatroniConfig, source: ConfigSource): Promise<number> {
  const logger = PatroniLogger.create(config.log ?? {});
  try {
    return await new Daemon(config, source, logger).run();
  } catch (err) {
    logger.error(errorMessage(err));
    return 1;
  } finally {
    logger.close();
  }
}
