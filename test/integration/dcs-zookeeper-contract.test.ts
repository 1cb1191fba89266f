import { after, before } from 'node:test';
import zookeeper from 'node-zookeeper-client';
import { systemClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/log/logger.js';
import { basePath } from '../../src/dcs/codec/paths.js';
import type { Dcs } from '../../src/dcs/port.js';
import { createZooKeeperDcs } from '../../src/dcs/zookeeper/index.js';
import { isZkError, ZkNode } from '../../src/dcs/zookeeper/zk-node.js';
import { runDcsContract, type ContractHarness } from '../../src/dcs/contract/suite.js';
import { contractClientOptions } from '../support/dcs-adapter.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { startZooKeeper, type ZooKeeperHandle } from '../support/zookeeper.js';

let zk: ZooKeeperHandle | null = null;
let raw: ZkNode | null = null;

before(async () => {
  zk = await startZooKeeper();
  const client = zookeeper.createClient(zk.hostPort, { sessionTimeout: 10_000 });
  await new Promise<void>((resolve) => {
    client.once('connected', () => {
      resolve();
    });
    client.connect();
  });
  raw = new ZkNode(client);
});

after(async () => {
  raw?.client.close();
  await zk?.destroy();
});

runDcsContract('zookeeper (real ZooKeeper 3.8)', (scope) => {
  if (zk === null || raw === null) throw new Error('ZooKeeper is not running');
  const { hostPort } = zk;
  const node = raw;
  const port = Number(hostPort.split(':')[1]);
  const clients: Dcs[] = [];
  const proxies = new Map<Dcs, TcpProxy>();
  const harness: ContractHarness = {
    basePath: basePath(scope),
    client: async (name, timing = {}) => {
      // Each client reaches ZooKeeper through its own proxy, so that `hang` can cut it off.
      const proxy = await startTcpProxy('127.0.0.1', port);
      const options = contractClientOptions(scope, name, timing);
      const dcs = await createZooKeeperDcs({ hosts: [proxy.hostPort], ...options }, silentLogger);
      clients.push(dcs);
      proxies.set(dcs, proxy);
      // A node that runs has its session; on a loaded machine the first one may take longer
      // than the contract's 1 s retry_timeout.
      if (!(await dcs.connect(20_000))) throw new Error('no ZooKeeper session');
      return dcs;
    },
    advance: (ms) => systemClock.sleep(ms),
    rawGet: async (key) => (await node.getData(key))?.value ?? null,
    rawPut: async (key, value) => {
      try {
        await node.setData(key, value);
      } catch (error) {
        if (!isZkError(error, 'no-node')) throw error;
        await node.create(key, value, false);
      }
    },
    hang: (client) => {
      const proxy = proxies.get(client);
      if (proxy === undefined) throw new Error('not a client of this harness');
      proxy.cut();
      return Promise.resolve(() => {
        proxy.mend();
        return Promise.resolve();
      });
    },
    cleanup: async () => {
      await Promise.all(clients.map((c) => c.close()));
      await Promise.all([...proxies.values()].map((p) => p.close()));
      await node.removeRecursive(basePath(scope));
    },
  };
  return Promise.resolve(harness);
});
