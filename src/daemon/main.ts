/**
 * Composition root of the daemon: the contract with src/cli/patroni.ts.
 */
import type { ConfigSource } from '../config/load.js';
import type { PatroniConfig } from '../config/schema.js';
import { errorMessage } from '../shared/errors.js';
import { PatroniLogger } from '../shared/log/patroni-logger.js';
import { Daemon } from './daemon.js';
import { SystemdNotifier } from './systemd-notify.js';

/** Runs until stopped; resolves to the process exit code. `source.load()` re-reads on SIGHUP. */
export async function runDaemon(config: PatroniConfig, source: ConfigSource): Promise<number> {
  const logger = PatroniLogger.create(config.log ?? {});
  const notifier = SystemdNotifier.fromEnv(process.env, logger);
  // As sd_notify(3)'s unset_environment: PostgreSQL (built with systemd support) and scripts we
  // start must not take the unit's socket for theirs.
  for (const name of ['NOTIFY_SOCKET', 'WATCHDOG_USEC', 'WATCHDOG_PID'])
    Reflect.deleteProperty(process.env, name);
  try {
    return await new Daemon(config, source, logger, notifier).run();
  } catch (err) {
    logger.error(errorMessage(err));
    return 1;
  } finally {
    notifier?.close();
    logger.close();
  }
}
