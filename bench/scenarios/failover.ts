import { setTimeout as sleep } from 'node:timers/promises';
import type { TestCluster, TestNode } from '../../test/support/cluster.js';
import { waitFor } from '../../test/support/postgres.js';
import { BENCH_SCOPE, waitHealthy } from '../harness/cluster.js';
import type { Samples } from '../harness/samples.js';
import { missingRows } from '../harness/writer.js';
import { nextLeaderRenewal } from '../harness/leader-lease.js';
import type { Profile } from '../harness/profile.js';
import { createTable, startWriter } from './write-load.js';

/**
 * kill -9 of the leader's daemon and postmaster under the writer; the gap lasts until a commit
 * is acknowledged by another node. Then the killed node is started again and timed until it
 * streams from the new leader.
 *
 * The kill lands half a loop_wait after the leader renewed its lock, for either system: the
 * lock then has about ttl - loop_wait / 2 to live, and the gap is mostly that wait. Without
 * the alignment the gap followed wherever the previous scenario left the leader's cycle. The
 * gap beyond the lock's remaining life is reported too: what the HA manager itself adds.
 */
export async function failover(
  cluster: TestCluster,
  leader: TestNode,
  samples: Samples,
  profile: Profile,
): Promise<void> {
  const table = 'bench_failover';
  await createTable(leader, table);
  const writer = await startWriter(cluster, table);
  let t0: number;
  let lockLeft: number;
  try {
    const renewal = await nextLeaderRenewal(
      cluster.etcd.endpoint,
      BENCH_SCOPE,
      (profile.loopWait * 2 + 10) * 1000,
    );
    await sleep(Math.max(0, renewal.at + (profile.loopWait * 1000) / 2 - performance.now()));
    t0 = performance.now();
    await leader.kill9();
    // etcd's TTL is in whole seconds, rounded down: the lease had up to a second more.
    lockLeft = renewal.ttl + 0.5 - (t0 - renewal.at) / 1000;
    await writer.waitCommits(25, t0, 180_000, leader.pgPort);
  } finally {
    await writer.stop();
  }
  const gap = writer.longestGap(t0);
  samples.add('failover.gap', gap);
  samples.add('failover.afterLock', gap - lockLeft);
  const newLeader = await waitHealthy(cluster, 180_000, leader.name);
  samples.add('failover.lost', await missingRows(writer.commits, newLeader.pgPort, table));
  const t1 = performance.now();
  leader.start();
  await waitFor(
    `${leader.name} streaming again`,
    async () => {
      const l = await cluster.leader();
      if (l === null) return undefined;
      return (await cluster.streamingFrom(l)).includes(leader.name) ? true : undefined;
    },
    240_000,
    100,
  );
  samples.add('failover.rejoin', (performance.now() - t1) / 1000);
}
