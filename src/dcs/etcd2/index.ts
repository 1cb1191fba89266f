import { systemClock, type Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/log/logger.js';
import { basePath } from '../codec/paths.js';
import type { Etcd3Options } from '../etcd3/options.js';
import { Etcd2Dcs } from './dcs.js';
import { Etcd2Store } from './store.js';

export { Etcd2Dcs } from './dcs.js';
export { V2DisabledError } from './errors.js';

/**
 * A DCS client on etcd's v2 API (the `etcd:` section). Nothing is dialled here: calls fail
 * with DCS_UNREACHABLE within retry_timeout while etcd is down, or at once, naming the fix,
 * when it does not serve the v2 API.
 */
export async function createEtcd2Dcs(
  options: Etcd3Options,
  logger: Logger,
  clock: Clock = systemClock,
): Promise<Etcd2Dcs> {
  const store = await Etcd2Store.connect(options, logger, clock);
  return new Etcd2Dcs(store, {
    name: options.name,
    basePath: basePath(options.scope, options.namespace),
    timing: { ttl: options.ttl, loopWait: options.loopWait, retryTimeout: options.retryTimeout },
    clock,
    logger,
    ...(options.primaryRoleName === undefined ? {} : { primaryRoleName: options.primaryRoleName }),
  });
}
