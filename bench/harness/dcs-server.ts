import type { TestStore } from '../../test/support/cluster.js';
import { etcdStoreOf } from '../../test/support/etcd-store.js';
import { startEtcd } from '../../test/support/etcd.js';
import { zooKeeperStore } from '../../test/support/zookeeper-store.js';
import { etcdV2Requests, zkPacketsReceived } from './dcs-counts.js';
import { etcdCounts } from './etcd-metrics.js';

/** The DCS a bench cluster runs on, by its patroni.yml section name. */
export type DcsKind = 'etcd3' | 'etcd' | 'zookeeper';

export const DCS_KINDS: readonly DcsKind[] = ['etcd3', 'etcd', 'zookeeper'];

export function isDcsKind(name: string): name is DcsKind {
  return (DCS_KINDS as readonly string[]).includes(name);
}

/** A fresh DCS server for one bench cluster: the cluster harness's store, with request counts. */
export interface BenchDcs extends TestStore {
  readonly kind: DcsKind;
  /** Requests the server has received so far from all clients, by kind (counters: diff two reads). */
  requests(): Promise<ReadonlyMap<string, number>>;
}

export async function startBenchDcs(kind: DcsKind): Promise<BenchDcs> {
  if (kind === 'zookeeper') {
    const store = await zooKeeperStore();
    return {
      ...store,
      kind,
      requests: async () => new Map([['packets', await zkPacketsReceived(store.zk.port)]]),
    };
  }
  const etcd = await startEtcd({ enableV2: kind === 'etcd' });
  // The v2 section names one `host`, as an operator's etcd v2 config usually does.
  const store = etcdStoreOf(etcd, kind, (hostPort) =>
    kind === 'etcd' ? { host: hostPort } : { hosts: hostPort },
  );
  const metrics = async (): Promise<string> => {
    const res = await fetch(`${etcd.endpoint}/metrics`, { signal: AbortSignal.timeout(5000) });
    return res.text();
  };
  return {
    ...store,
    kind,
    requests:
      kind === 'etcd'
        ? async () => etcdV2Requests(await metrics())
        : () => etcdCounts(etcd.endpoint),
  };
}
