import zookeeper from 'node-zookeeper-client';
import { ZkNode } from '../../src/dcs/zookeeper/zk-node.js';
import type { TestStore } from './cluster.js';
import { startZooKeeper, type ZooKeeperHandle } from './zookeeper.js';

/** A raw client of the test's ZooKeeper, as zkCli would see the nodes. */
export function rawZooKeeper(hostPort: string): ZkNode {
  const client = zookeeper.createClient(hostPort, { sessionTimeout: 10_000 });
  client.connect();
  return new ZkNode(client);
}

/** A cluster's DCS on a real ZooKeeper: `zookeeper: {hosts}` in every node's patroni.yml. */
export async function zooKeeperStore(): Promise<TestStore & { readonly zk: ZooKeeperHandle }> {
  const zk = await startZooKeeper();
  const raw = rawZooKeeper(zk.hostPort);
  return {
    zk,
    section: { zookeeper: { hosts: [zk.hostPort] } },
    value: async (key) => (await raw.getData(key))?.value ?? null,
    destroy: async () => {
      raw.client.close();
      await zk.destroy();
    },
  };
}
