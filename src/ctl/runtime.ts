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

/** get_dcs for patronictl: the member name is the cluster name; the DCS section decides. */
export async function openDcs(config: CtlConfig, clusterName: string): Promise<CtlDcs> {
  const raw = config.raw;
  const dcsConfig: Record<string, unknown> = {
    scope: clusterName,
    name: clusterName,
    namespace: config.namespace,
  };
  for (const key of ['etcd3', 'etcd', 'consul', 'zookeeper', 'kubernetes', 'raft', 'exhibitor']) {
    const s = section(raw[key]);
    if (s !== undefined) dcsConfig[key] = s;
  }
  const ttl = num(raw['ttl']);
  const loopWait = num(raw['loop_wait']);
  const retryTimeout = num(raw['retry_timeout']);
  if (ttl !== undefined) dcsConfig['ttl'] = ttl;
  if (loopWait !== undefined) dcsConfig['loop_wait'] = loopWait;
  if (retryTimeout !== undefined) dcsConfig['retry_timeout'] = retryTimeout;
  const dcs = await createDcs(dcsConfig as unknown as DcsConfig, silentLogger);
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
