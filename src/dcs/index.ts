import { PatroniError } from '../shared/errors.js';
import type { Logger } from '../shared/log/logger.js';
import type { PrimaryRoleName } from './codec/roles.js';
import { createEtcd2Dcs } from './etcd2/index.js';
import { createEtcd3Dcs, parseEtcd3Section } from './etcd3/index.js';
import { parseEtcdSection, type Etcd3Globals } from './etcd3/options.js';
import type { Dcs } from './port.js';

export type {
  Dcs,
  DcsTiming,
  MemberData,
  FailoverValue,
  FailsafeValue,
  StatusValue,
  SyncValue,
} from './port.js';
export { orFalse } from './port.js';
export { basePath, KEYS } from './codec/paths.js';
export type { PrimaryRoleName } from './codec/roles.js';
export { createEtcd3Dcs, parseEtcd3Section, type Etcd3Options } from './etcd3/index.js';
export { createEtcd2Dcs, V2DisabledError } from './etcd2/index.js';
export { MemoryStore, type MemoryClientOptions } from './memory/index.js';

/** The parts of patroni.yml a DCS client is built from (snake_case, as in the file). */
export interface DcsConfig {
  readonly scope: string;
  readonly name: string;
  readonly namespace?: string;
  readonly ttl?: number;
  readonly loop_wait?: number;
  readonly retry_timeout?: number;
  readonly etcd3?: Readonly<Record<string, unknown>>;
  readonly etcd?: Readonly<Record<string, unknown>>;
  readonly consul?: Readonly<Record<string, unknown>>;
  readonly zookeeper?: Readonly<Record<string, unknown>>;
  readonly kubernetes?: Readonly<Record<string, unknown>>;
  readonly raft?: Readonly<Record<string, unknown>>;
  readonly exhibitor?: Readonly<Record<string, unknown>>;
}

export interface CreateDcsOptions {
  /** How the primary role is written: `master` (default, 3.0.2 peers) or `primary`. */
  readonly primaryRoleName?: PrimaryRoleName;
  /** Quorum reads of the cluster, for patronictl (Patroni 3.0.4+); the daemon reads serializable. */
  readonly linearizableReads?: boolean;
}

const UNSUPPORTED = ['consul', 'kubernetes', 'raft'] as const;

/** The DCS sections patroni-ts runs on, named when another one is refused. */
export const SUPPORTED_DCS_MESSAGE = 'supported DCS sections: etcd, etcd3, zookeeper, exhibitor';

/** The identity and timing every DCS client takes from the top of patroni.yml. */
function etcdGlobals(config: DcsConfig, options: CreateDcsOptions): Etcd3Globals {
  return {
    scope: config.scope,
    name: config.name,
    ...(config.namespace === undefined ? {} : { namespace: config.namespace }),
    ...(config.ttl === undefined ? {} : { ttl: config.ttl }),
    ...(config.loop_wait === undefined ? {} : { loopWait: config.loop_wait }),
    ...(config.retry_timeout === undefined ? {} : { retryTimeout: config.retry_timeout }),
    ...(options.primaryRoleName === undefined ? {} : { primaryRoleName: options.primaryRoleName }),
    ...(options.linearizableReads === true ? { linearizableReads: true } : {}),
  };
}

/**
 * Builds the DCS client for a configuration, as Patroni's `get_dcs` does: the DCS section
 * present decides (`etcd` before `etcd3`, as Patroni's alphabetical search finds them).
 * Sections we cannot run are refused with a clear message.
 */
export async function createDcs(
  config: DcsConfig,
  logger: Logger,
  options: CreateDcsOptions = {},
): Promise<Dcs> {
  if (config.etcd !== undefined) {
    const parsed = parseEtcdSection('etcd', config.etcd, etcdGlobals(config, options));
    return createEtcd2Dcs(parsed, logger);
  }
  if (config.etcd3 !== undefined) {
    const parsed = parseEtcd3Section(config.etcd3, etcdGlobals(config, options));
    return createEtcd3Dcs(parsed, logger);
  }
  // The identity and timing are the same for every store; no option of theirs is etcd's own.
  const globals = etcdGlobals(config, options);
  // Patroni's order: exhibitor before zookeeper (an exhibitor section wins). The ZooKeeper
  // client and its dependencies load only for these sections: most clusters run on etcd, and a
  // daemon restarted after a crash must be up (and demote a stale primary) as soon as it can.
  if (config.exhibitor !== undefined) {
    const zk = await import('./zookeeper/index.js');
    const options = zk.parseExhibitorSection(config.exhibitor);
    return zk.createExhibitorDcs(options, zk.timingOf(globals), logger);
  }
  if (config.zookeeper !== undefined) {
    const zk = await import('./zookeeper/index.js');
    return zk.createZooKeeperDcs(zk.parseZooKeeperSection(config.zookeeper, globals), logger);
  }
  const other = UNSUPPORTED.find((name) => config[name] !== undefined);
  if (other !== undefined) {
    throw new PatroniError(
      'CONFIG_INVALID',
      `${other}: this DCS is not supported by patroni-ts (${SUPPORTED_DCS_MESSAGE})`,
    );
  }
  throw new PatroniError(
    'CONFIG_INVALID',
    'Can not find suitable configuration of distributed configuration store',
  );
}
