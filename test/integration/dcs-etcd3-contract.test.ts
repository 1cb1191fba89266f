import { after, before } from 'node:test';
import { Etcd3 } from 'etcd3';
import { systemClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/log/logger.js';
import { basePath } from '../../src/dcs/codec/paths.js';
import type { Dcs } from '../../src/dcs/port.js';
import { createEtcd3Dcs } from '../../src/dcs/etcd3/index.js';
import { runDcsContract, type ContractHarness } from '../../src/dcs/contract/suite.js';
import { startEtcd, type EtcdHandle } from '../support/etcd.js';

let etcd: EtcdHandle | null = null;
let raw: Etcd3 | null = null;

before(async () => {
  etcd = await startEtcd();
  raw = new Etcd3({ hosts: etcd.endpoint });
});

after(async () => {
  raw?.close();
  await etcd?.destroy();
});

runDcsContract('etcd3 (real etcd)', (scope) => {
  if (etcd === null || raw === null) throw new Error('etcd is not running');
  const { hostPort } = etcd;
  const kv = raw;
  const clients: Dcs[] = [];
  const harness: ContractHarness = {
    basePath: basePath(scope),
    client: async (name, timing = {}) => {
      const dcs = await createEtcd3Dcs(
        {
          hosts: [hostPort],
          protocol: 'http',
          scope,
          name,
          ttl: timing.ttl ?? 30,
          loopWait: timing.loopWait ?? 10,
          retryTimeout: timing.retryTimeout ?? 10,
        },
        silentLogger,
      );
      clients.push(dcs);
      return dcs;
    },
    advance: (ms) => systemClock.sleep(ms),
    rawGet: (key) => kv.get(key).string(),
    rawPut: async (key, value) => {
      await kv.put(key).value(value);
    },
    cleanup: async () => {
      await Promise.all(clients.map((c) => c.close()));
      await kv.delete().prefix(`${basePath(scope)}/`);
    },
  };
  return Promise.resolve(harness);
});
