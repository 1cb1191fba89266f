import { setTimeout as sleep } from 'node:timers/promises';
import type { TestCluster, TestNode } from '../../test/support/cluster.js';
import { waitFor } from '../../test/support/postgres.js';
import { BENCH_SCOPE, waitHealthy } from '../harness/cluster.js';
import type { Samples } from '../harness/samples.js';
import { missingRows } from '../harness/writer.js';
import { leaderKeyGone, nextLeaderRenewal } from '../harness/leader-lease.js';
import type { Profile } from '../harness/profile.js';
import { createTable, startWriter } from './write-load.js';

/**
 * kill -9 of the leader's daemon and postmaster under the writer; the gap lasts until a commit
 * is acknowledged by another node. Then the killed node is started again and timed until it
 * streams from the new leader. Returns the new leader.
 *
 * The kill lands half a loop_wait after the leader renewed its lock, for either system: the
 * lock then has about ttl - loop_wait / 2 to live, and the gap is mostly that wait. Without
 * the alignment the gap followed wherever the previous scenario left the leader's cycle. The
 * time from the leader key's disappearance (polled every 20 ms) to the first commit on the new
 * leader is reported too: what the HA manager itself adds after the lease, whatever the lease.
 */
export async function failover(
  cluster: TestCluster,
  leader: TestNode,
  samples: Samples,
  profile: Profile,
): Promise<TestNode> {
  const table = 'bench_failover';
  await createTable(leader, table);
  const writer = await startWriter(cluster, table);
  let t0: number;
  let goneAt: number | null;
  try {
    const renewal = await nextLeaderRenewal(
      cluster.etcd.endpoint,
      BENCH_SCOPE,
      (profile.loopWait * 2 + 10) * 1000,
    );
    await sleep(Math.max(0, renewal.at + (profile.loopWait * 1000) / 2 - performance.now()));
    const watching = new AbortController();
    const gone = leaderKeyGone(cluster.etcd.endpoint, BENCH_SCOPE, leader.name, watching.signal);
    t0 = performance.now();
    await leader.kill9();
    try {
      await writer.waitCommits(25, t0, 180_000, leader.pgPort);
    } finally {
      watching.abort();
    }
    goneAt = await gone;
  } finally {
    await writer.stop();
  }
  const gap = writer.longestGap(t0);
  samples.add('failover.gap', gap);
  const resumed = writer.commits.find((c) => c.at > t0 && c.port !== leader.pgPort)?.at ?? null;
  if (goneAt !== null && resumed !== null) {
    samples.add('failover.afterLock', (resumed - goneAt) / 1000);
    const wall = (at: number): string =>
      new Date(performance.timeOrigin + at).toISOString().slice(11, 23);
    console.error(
      `[bench] failover: kill -9 at ${wall(t0)}, leader key gone at ${wall(goneAt)}, ` +
        `first commit on the new leader at ${wall(resumed)} (gap ${gap.toFixed(2)} s)`,
    );
  }
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
  return newLeader;
}
