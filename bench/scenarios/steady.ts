import { setTimeout as sleep } from 'node:timers/promises';
import type { TestCluster } from '../../test/support/cluster.js';
import { diffCounts, etcdCounts } from '../harness/etcd-metrics.js';
import { cpuSeconds, memoryMb } from '../harness/proc.js';
import type { Samples } from '../harness/samples.js';

const WRITES = ['Put', 'Txn', 'DeleteRange'];

/**
 * Steady-state cost of an idle healthy cluster over `windowS` seconds: RSS and CPU of each daemon
 * process (not its PostgreSQL), and etcd's gRPC requests for the whole cluster, per minute.
 */
export async function steadyState(
  cluster: TestCluster,
  samples: Samples,
  windowS: number,
): Promise<void> {
  const pids = cluster.nodes.map((n) => n.pid).filter((p): p is number => p !== null);
  const cpuBefore = await Promise.all(pids.map(cpuSeconds));
  const etcdBefore = await etcdCounts(cluster.etcd.endpoint);
  const started = performance.now();
  await sleep(windowS * 1000);
  const minutes = (performance.now() - started) / 60_000;
  const cpuAfter = await Promise.all(pids.map(cpuSeconds));
  const etcdAfter = await etcdCounts(cluster.etcd.endpoint);
  for (const [i, pid] of pids.entries()) {
    const memory = await memoryMb(pid);
    samples.add('daemon.rss', memory.rss);
    samples.add('daemon.rssAnon', memory.anon);
    samples.add('daemon.cpu', (((cpuAfter[i] ?? 0) - (cpuBefore[i] ?? 0)) * 1000) / minutes);
  }
  const diff = diffCounts(etcdBefore, etcdAfter);
  const sum = (pick: (m: string) => boolean): number =>
    [...diff].filter(([m]) => pick(m)).reduce((a, [, n]) => a + n, 0) / minutes;
  samples.add(
    'etcd.requests',
    sum(() => true),
  );
  samples.add(
    'etcd.writes',
    sum((m) => WRITES.includes(m)),
  );
  samples.add(
    'etcd.keepalives',
    sum((m) => m === 'LeaseKeepAlive'),
  );
  samples.add(
    'etcd.reads',
    sum((m) => m === 'Range'),
  );
  samples.add(
    'etcd.watch',
    sum((m) => m === 'Watch'),
  );
  // Every method, for the JSON record (the table shows the ones above).
  for (const [method, n] of diff) if (n > 0) samples.add(`etcd.method.${method}`, n / minutes);
}
