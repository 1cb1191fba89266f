import type { PatroniConfig } from '../config/schema.js';
import { parseDynamicConfig } from '../config/dynamic.js';
import { effectiveConfig, type EffectiveConfig } from '../core/config/merge.js';
import type { ClusterSnapshot } from '../core/model/cluster.js';
import type { Dcs } from '../dcs/index.js';
import { errorMessage, isPatroniError } from '../shared/errors.js';
import type { Logger } from '../shared/log/logger.js';

/**
 * The dynamic configuration a node starts with: the DCS `config`, else the copy cached in the data
 * directory (a wiped DCS must not reset ttl or parameters), else bootstrap.dcs.
 */
export function dynamicFrom(
  cluster: ClusterSnapshot | null,
  config: PatroniConfig,
  cached: Readonly<Record<string, unknown>> | null,
): Readonly<Record<string, unknown>> {
  if (cluster?.config != null && cluster.config.index > 0) return cluster.config.data;
  if (cached !== null) return cached;
  const seed = (config.bootstrap?.dcs ?? {}) as Readonly<Record<string, unknown>>;
  // What Patroni 3.0.2 writes to /config after bootstrap: the timing keys always present.
  return { ttl: 30, loop_wait: 10, retry_timeout: 10, maximum_lag_on_failover: 1048576, ...seed };
}

export function effectiveFrom(
  config: PatroniConfig,
  dynamic: Readonly<Record<string, unknown>>,
  logger: Logger,
): EffectiveConfig {
  const parsed = parseDynamicConfig(dynamic);
  for (const p of parsed.problems) logger.warning(`dynamic configuration: ${p}`);
  const effective = effectiveConfig(config, parsed.config);
  for (const w of effective.warnings) logger.warning(w);
  return effective;
}

/**
 * Patroni waits for the DCS before anything else (spec/core.md §4.1): it must know the dynamic
 * configuration (ttl, loop_wait, ...) before it may act.
 */
export async function waitForCluster(
  dcs: Dcs,
  logger: Logger,
  sleep: (ms: number) => Promise<void>,
  stopped: () => boolean,
): Promise<ClusterSnapshot | null> {
  for (;;) {
    try {
      return await dcs.getCluster();
    } catch (err) {
      if (!isPatroniError(err, 'DCS_UNREACHABLE')) throw err;
      logger.error(`Can not get cluster from dcs: ${errorMessage(err)}`);
      if (stopped()) return null;
      await sleep(5000);
    }
  }
}
