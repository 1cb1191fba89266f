/**
 * A leader that loses the DCS demotes "offline" (Patroni's fast shutdown, then a start as a
 * replica). PostgreSQL writes the shutdown checkpoint at once but exits only when every standby
 * has confirmed it; a standby behind the same cut never does, and the node stayed a stopped
 * primary for up to wal_sender_timeout (60 s) or until well after the heal (22 s in the fault
 * suite). Here the standby's WAL receiver is stopped (SIGSTOP) and etcd paused: the old leader
 * must run as a replica again long before 60 s.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster, type TestNode } from '../support/cluster.js';
import { waitFor } from '../support/postgres.js';

/** Well under wal_sender_timeout (60 s), well over retry_timeout (5 s) + the bound (3 s). */
const DEMOTED_WITHIN_MS = 40_000;

async function inRecovery(n: TestNode): Promise<boolean> {
  const rows = await n.sql<{ r: boolean }>('SELECT pg_is_in_recovery() AS r').catch(() => []);
  return rows[0]?.r === true;
}

describe('an offline demotion while a standby cannot confirm', { timeout: 300_000 }, () => {
  let cluster: TestCluster;
  let stopped: number | null = null;

  before(async () => {
    cluster = await TestCluster.start({
      nodes: [{ name: 'node1' }, { name: 'node2' }],
      postgresql: { parameters: { wal_sender_timeout: '60s' } },
    });
  });
  after(async () => {
    if (stopped !== null) process.kill(stopped, 'SIGCONT');
    cluster.etcd.resume();
    await cluster.stop();
  });

  it('stops PostgreSQL once the shutdown checkpoint is written, not when the standby answers', async () => {
    const leader = await cluster.waitForHealthy();
    const replica = cluster.nodes.find((n) => n !== leader);
    assert.ok(replica);
    const rows = await replica.sql<{ pid: number }>('SELECT pid FROM pg_stat_wal_receiver');
    const pid = rows[0]?.pid;
    assert.ok(pid !== undefined, 'the replica has a WAL receiver');
    process.kill(pid, 'SIGSTOP');
    stopped = pid;
    await leader.sql('CREATE TABLE unconfirmed AS SELECT 1 AS id');

    cluster.etcd.pause();
    const t0 = Date.now();
    await waitFor(
      'the old leader to demote and run as a replica',
      () => inRecovery(leader),
      DEMOTED_WITHIN_MS,
    );
    process.stdout.write(
      `# the old leader ran as a replica ${Date.now() - t0} ms after etcd paused\n`,
    );
    assert.match(
      await leader.log(),
      /wrote its shutdown checkpoint but its walsenders still wait for standbys after 3000 ms; using immediate/,
    );
  });
});
