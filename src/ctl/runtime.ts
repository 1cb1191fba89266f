import { homedir } from 'node:os';
import { join } from 'node:path';
import { createDcs, type DcsConfig } from '../dcs/index.js';
import { silentLogger } from '../shared/log/logger.js';
import type { CtlConfig } from './config.js';
import { processIo } from './io.js';
import type { CtlRuntime } from './main.js';
import type { CtlClock, CtlDcs } from './ports.js';
import { pgSqlRunner } from './pg-sql.js';
import { createRestClient } from './rest-client.js';

export const systemCtlClock: CtlClock = {
  now: () => ({ epochMs: Date.now(), offsetMinutes: -new Date().getTimezoneOffset() }),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

function num(v: unknown): number | undefined {
  return typeof v === 'number'
    ? v
    : typeof v === 'string' && /^\d+$/.test(v)
      ? Number(v)
      : undefined;
}

function section(v: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

const DCS_SECTIONS = [
  'etcd3',
  'etcd',
  'consul',
  'zookeeper',
  'kubernetes',
  'raft',
  'exhibitor',
] as const;

/**
 * get_dcs for patronictl: the member name is the cluster name, the DCS section present decides,
 * and reads are linearizable (quorum), so a switchover's result shows at once (Patroni 3.0.4+).
 */
export async function openDcs(config: CtlConfig, clusterName: string): Promise<CtlDcs> {
  const raw = config.raw;
  const sections: Partial<
    Record<(typeof DCS_SECTIONS)[number], Readonly<Record<string, unknown>>>
  > = {};
  for (const key of DCS_SECTIONS) {
    const s = section(raw[key]);
    if (s !== undefined) sections[key] = s;
  }
  const ttl = num(raw['ttl']);
  const loopWait = num(raw['loop_wait']);
  const retryTimeout = num(raw['retry_timeout']);
  const dcsConfig: DcsConfig = {
    scope: clusterName,
    name: clusterName,
    namespace: config.namespace,
    ...sections,
    ...(ttl === undefined ? {} : { ttl }),
    ...(loopWait === undefined ? {} : { loop_wait: loopWait }),
    ...(retryTimeout === undefined ? {} : { retry_timeout: retryTimeout }),
  };
  const dcs = await createDcs(dcsConfig, silentLogger, { linearizableReads: true });
  return {
    getCluster: () => dcs.getCluster(),
    setConfigValue: (value, index) => dcs.setConfigValue(value, index),
    setFailoverValue: (value, index) => dcs.setFailoverValue(value, index),
    deleteCluster: () => dcs.deleteCluster(),
    close: () => dcs.close(),
  };
}

/** The real world: this process's terminal, clock, environment, DCS, REST and PostgreSQL. */
export function processRuntime(): CtlRuntime {
  return {
    io: processIo(),
    clock: systemCtlClock,
    env: process.env,
    defaultConfigFile: join(
      process.env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'),
      'patroni',
      'patronictl.yaml',
    ),
    openDcs,
    restClient: (settings) => createRestClient({ settings }),
    sql: pgSqlRunner,
  };
}
