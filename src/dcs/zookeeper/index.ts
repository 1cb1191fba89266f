import { systemClock, type Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/log/logger.js';
import type { ClusterSnapshot } from '../../core/model/index.js';
import { basePath } from '../codec/paths.js';
import { ExhibitorEnsemble, type ExhibitorOptions } from './exhibitor.js';
import type { ZooKeeperOptions } from './options.js';
import { TlsTunnels } from './tls-tunnel.js';
import { ZkDcs, type ZkDcsOptions } from './zk-dcs.js';

export { parseZooKeeperSection, timingOf, type ZooKeeperOptions } from './options.js';
export { parseExhibitorSection, type ExhibitorOptions } from './exhibitor.js';
export { ZkDcs } from './zk-dcs.js';

/**
 * A DCS client on ZooKeeper. Connecting is lazy (the first call connects), so this resolves
 * even while ZooKeeper is down; calls then fail with DCS_UNREACHABLE within retry_timeout.
 */
export async function createZooKeeperDcs(
  options: ZooKeeperOptions,
  logger: Logger,
  clock: Clock = systemClock,
): Promise<ZkDcs> {
  return new ZkDcs(await dcsOptions(options, logger, clock));
}

async function dcsOptions(
  options: ZooKeeperOptions,
  logger: Logger,
  clock: Clock,
): Promise<ZkDcsOptions> {
  const tunnels =
    options.tls === undefined ? null : await TlsTunnels.open(options.hosts, options.tls, logger);
  return {
    name: options.name,
    basePath: basePath(options.scope, options.namespace),
    hosts: tunnels?.hosts ?? options.hosts,
    ...(options.acls === undefined ? {} : { acls: options.acls }),
    timing: { ttl: options.ttl, loopWait: options.loopWait, retryTimeout: options.retryTimeout },
    clock,
    logger,
    ...(options.primaryRoleName === undefined ? {} : { primaryRoleName: options.primaryRoleName }),
    ...(tunnels === null
      ? {}
      : {
          onClose: () => {
            tunnels.close();
          },
        }),
  };
}

/** ZooKeeper whose ensemble Exhibitor names, polled again before a read when due. */
class ExhibitorDcs extends ZkDcs {
  constructor(
    options: ZkDcsOptions,
    private readonly ensemble: ExhibitorEnsemble,
  ) {
    super(options);
  }

  override async getCluster(): Promise<ClusterSnapshot> {
    if (await this.ensemble.poll()) this.setHosts(this.ensemble.hosts);
    return super.getCluster();
  }
}

/**
 * A DCS client on the ZooKeeper ensemble Exhibitor names. As Patroni, it waits for the first
 * answer of Exhibitor (asking every 5 s) before it resolves.
 */
export async function createExhibitorDcs(
  exhibitor: ExhibitorOptions,
  options: Omit<ZooKeeperOptions, 'hosts'>,
  logger: Logger,
  clock: Clock = systemClock,
): Promise<ZkDcs> {
  const ensemble = new ExhibitorEnsemble(exhibitor, clock, logger);
  const hosts = await ensemble.first();
  return new ExhibitorDcs(await dcsOptions({ ...options, hosts }, logger, clock), ensemble);
}
