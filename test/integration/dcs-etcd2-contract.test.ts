import { after, before } from 'node:test';
import { systemClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/log/logger.js';
import { basePath } from '../../src/dcs/codec/paths.js';
import type { Dcs } from '../../src/dcs/port.js';
import { createEtcd2Dcs } from '../../src/dcs/etcd2/index.js';
import { runDcsContract, type ContractHarness } from '../../src/dcs/contract/suite.js';
import { startEtcd, type EtcdHandle } from '../support/etcd.js';
import { rawEtcdV2, type RawEtcdV2 } from '../support/etcd-raw-v2.js';

let etcd: EtcdHandle | null = null;
let raw: RawEtcdV2 | null = null;

before(async () => {
  etcd = await startEtcd({ enableV2: true });
  raw = rawEtcdV2(etcd.endpoint);
});

after(async () => {
  await etcd?.destroy();
});

runDcsContract('etcd v2 (real etcd 3.4 with --enable-v2)', (scope) => {
  if (etcd === null || raw === null) throw new Error('etcd is not running');
  const { hostPort } = etcd;
  const kv = raw;
  const clients: Dcs[] = [];
  const harness: ContractHarness = {
    basePath: basePath(scope),
    sessionIsTtl: true,
    client: async (name, timing = {}) => {
      const dcs = await createEtcd2Dcs(
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
    rawGet: (key) => kv.get(key),
    rawPut: async (key, value) => {
      await kv.put(key, value);
    },
    cleanup: async () => {
      await Promise.all(clients.map((c) => c.close()));
      await kv.deleteDir(basePath(scope));
    },
  };
  return Promise.resolve(harness);
});
