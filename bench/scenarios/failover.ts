import type { BenchCluster } from '../harness/cluster.js';
import type { BenchNode } from '../harness/node.js';
import type { Samples } from '../harness/samples.js';
import { missingRows } from '../harness/writer.js';
import { pollUntil } from '../harness/wait.js';
import { createTable, startWriter } from './write-load.js';

/**
 * kill -9 of the leader's daemon and postmaster under the writer; the gap lasts until a commit
 * is acknowledged by another node. Then the killed node is started again and timed until it
 * streams from the new leader.
 */
export async function failover(
  cluster: BenchCluster,
  leader: BenchNode,
  samples: Samples,
): Promise<void> {
  const table = 'bench_failover';
  await createTable(leader, table);
  const writer = await startWriter(cluster, table);
  const t0 = performance.now();
  await leader.kill9();
  try {
    await writer.waitCommits(25, t0, 180_000, leader.pgPort);
  } finally {
    await writer.stop();
  }
  samples.add('failover.gap', writer.longestGap(t0));
  const newLeader = await cluster.waitHealthy(180_000, leader.name);
  samples.add('failover.lost', await missingRows(writer.commits, newLeader.pgPort, table));
  const t1 = performance.now();
  leader.start();
  await pollUntil(
    `${leader.name} streaming again`,
    async () => {
      const l = await cluster.leader();
      if (l === null) return undefined;
      return (await cluster.streamingFrom(l)).includes(leader.name) ? true : undefined;
    },
    240_000,
  );
  samples.add('failover.rejoin', (performance.now() - t1) / 1000);
}
