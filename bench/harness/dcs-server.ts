import { startEtcd, type EtcdHandle } from '../../test/support/etcd.js';
import { startZooKeeper } from '../../test/support/zookeeper.js';
import { etcdV2Requests, zkPacketsReceived } from './dcs-counts.js';
import { etcdCounts } from './etcd-metrics.js';

/** The DCS a bench cluster runs on, by its patroni.yml section name. */
export type DcsKind = 'etcd3' | 'etcd' | 'zookeeper';

export const DCS_KINDS: readonly DcsKind[] = ['etcd3', 'etcd', 'zookeeper'];

export function isDcsKind(name: string): name is DcsKind {
  return (DCS_KINDS as readonly string[]).includes(name);
}

/** A fresh DCS server for one bench cluster. */
export interface BenchDcs {
  readonly kind: DcsKind;
  /** The etcd server, for etcd3 and etcd (v2); null for ZooKeeper. */
  readonly etcd: EtcdHandle | null;
  /** The patroni.yml section (its key is `kind`), the same for either system. */
  readonly section: Record<string, unknown>;
  /** Requests the server has received so far from all clients, by kind (counters: diff two reads). */
  requests(): Promise<ReadonlyMap<string, number>>;
  destroy(): Promise<void>;
}

export async function startBenchDcs(kind: DcsKind): Promise<BenchDcs> {
  if (kind === 'zookeeper') {
    const zk = await startZooKeeper();
    return {
      kind,
      etcd: null,
      section: { hosts: [zk.hostPort] },
      requests: async () => new Map([['packets', await zkPacketsReceived(zk.port)]]),
      destroy: () => zk.destroy(),
    };
  }
  const etcd = await startEtcd({ enableV2: kind === 'etcd' });
  const metrics = async (): Promise<string> => {
    const res = await fetch(`${etcd.endpoint}/metrics`, { signal: AbortSignal.timeout(5000) });
    return res.text();
  };
  return {
    kind,
    etcd,
    section: kind === 'etcd' ? { host: etcd.hostPort } : { hosts: etcd.hostPort },
    requests:
      kind === 'etcd'
        ? async () => etcdV2Requests(await metrics())
        : () => etcdCounts(etcd.endpoint),
    destroy: () => etcd.destroy(),
  };
}
