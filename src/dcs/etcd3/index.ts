import { systemClock, type Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/log/logger.js';
import { basePath } from '../codec/paths.js';
import { KvDcs } from '../kv/kv-dcs.js';
import { Etcd3Backend } from './backend.js';
import type { Etcd3Options } from './options.js';

export { parseEtcd3Section, type Etcd3Options, type Etcd3Globals } from './options.js';

/**
 * A DCS client on etcd v3. Connecting is lazy (the first call dials), so this resolves even
 * while etcd is down; calls then fail with DCS_UNREACHABLE within retry_timeout.
 */
export async function createEtcd3Dcs(
  options: Etcd3Options,
  logger: Logger,
  clock: Clock = systemClock,
): Promise<KvDcs> {
  const backend = await Etcd3Backend.connect(options, logger, clock);
  return new KvDcs(backend, {
    name: options.name,
    basePath: basePath(options.scope, options.namespace),
    timing: { ttl: options.ttl, loopWait: options.loopWait, retryTimeout: options.retryTimeout },
    clock,
    logger,
    ...(options.primaryRoleName === undefined ? {} : { primaryRoleName: options.primaryRoleName }),
  });
}
