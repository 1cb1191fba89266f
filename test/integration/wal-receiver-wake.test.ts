/**
 * A leader's PostgreSQL crashes and its daemon starts it again. The replica's WAL receiver lost
 * its upstream, and PostgreSQL alone retries only every `wal_retrieve_retry_interval`; here that
 * is two minutes, so a replica streaming again well before then was woken by its daemon (a
 * SIGHUP once the leader's member runs and its port answers).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster } from '../support/cluster.js';
import { waitFor } from '../support/postgres.js';

describe("a replica whose leader's PostgreSQL came back", { timeout: 300_000 }, () => {
  let cluster: TestCluster;

  before(async () => {
    cluster = await TestCluster.start({
      nodes: [{ name: 'node1' }, { name: 'node2' }],
      postgresql: { parameters: { wal_retrieve_retry_interval: '120s' } },
    });
  });
  after(async () => {
    await cluster.stop();
  });

  it('streams again without waiting out wal_retrieve_retry_interval', async () => {
    const leader = await cluster.waitForHealthy();
    const replica = cluster.nodes.find((n) => n !== leader);
    assert.ok(replica);
    const pid = await leader.postmasterPid();
    assert.ok(pid !== null);
    process.kill(pid, 'SIGKILL');
    await waitFor(
      "the replica's WAL receiver to lose the leader",
      async () => !(await cluster.streamingFrom(leader)).includes(replica.name),
      60_000,
    );
    await waitFor(
      'the replica to stream from the restarted leader (PostgreSQL alone: after 120 s)',
      async () => (await cluster.streamingFrom(leader)).includes(replica.name),
      60_000,
    );
    assert.ok(
      (await replica.log()).includes(
        `waking the WAL receiver: ${leader.name} accepts connections again`,
      ),
    );
    assert.equal((await cluster.leader())?.name, leader.name);
  });
});
