/**
 * The HA loop against real components: etcd, three PostgreSQL 15 instances and three
 * patroni-ts daemons on loopback (issue 5's "real" tier).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { TestCluster, type TestNode } from '../support/cluster.js';
import { waitFor } from '../support/postgres.js';

describe('a three-node cluster from empty data directories', { timeout: 600_000 }, () => {
  let cluster: TestCluster;
  let leader: TestNode;

  before(async () => {
    cluster = await TestCluster.start();
  });
  after(async () => {
    await cluster.stop();
  });

  it('forms one leader and two streaming replicas with Patroni-format keys', async () => {
    leader = await cluster.waitForHealthy();
    const others = cluster.nodes.filter((n) => n !== leader);
    assert.deepEqual(await cluster.streamingFrom(leader), others.map((n) => n.name).sort());
    assert.equal(await cluster.dcsValue('leader'), leader.name);
    assert.match((await cluster.dcsValue('initialize')) ?? '', /^\d{10,}$/);
    const member = JSON.parse((await cluster.dcsValue(`members/${leader.name}`)) ?? '{}') as Record<
      string,
      unknown
    >;
    assert.equal(member['role'], 'master');
    assert.equal(member['api_url'], `${leader.apiBase}/patroni`);
    for (const r of others) {
      // The health view is refreshed by the node's own cycle, which may trail streaming.
      await waitFor(`${r.name} /replica 200`, async () => (await r.httpStatus('/replica')) === 200);
      assert.equal(await r.httpStatus('/primary'), 503);
    }
  });

  it('fails over after kill -9 of the leader, and the old leader rejoins as a replica', async () => {
    await leader.sql('CREATE TABLE IF NOT EXISTS t (id int); INSERT INTO t VALUES (1)');
    const oldTimeline = Number((await leader.status())?.['timeline']);
    await leader.kill9();
    const next = await cluster.waitForLeader(120_000, leader.name);
    const survivor = cluster.nodes.find((n) => n !== leader && n !== next);
    assert.ok(survivor);
    await waitFor(
      'the other replica to stream from the new leader',
      async () => (await cluster.streamingFrom(next)).includes(survivor.name),
      120_000,
    );
    await waitFor(
      'the new leader on the next timeline',
      async () => Number((await next.status())?.['timeline']) === oldTimeline + 1,
      60_000,
    );
    assert.deepEqual(await next.sql('SELECT id FROM t'), [{ id: 1 }]);

    leader.start();
    await waitFor(
      'the old leader to stream from the new one',
      async () => (await cluster.streamingFrom(next)).includes(leader.name),
      120_000,
    );
    await waitFor(
      'the old leader to report replica on the new timeline',
      async () => {
        const s = await leader.status();
        return s?.['role'] === 'replica' && Number(s['timeline']) === oldTimeline + 1;
      },
      60_000,
    );
    leader = next;
  });

  it('hands over within 3 s when the leader’s daemon gets SIGTERM', async () => {
    const old = leader;
    const started = performance.now();
    const stopping = old.stopDaemon('SIGTERM');
    const next = await cluster.waitForLeader(30_000, old.name);
    const elapsed = performance.now() - started;
    await stopping;
    assert.ok(elapsed < 3000, `new leader ${next.name} after ${Math.round(elapsed)} ms`);
    assert.equal(await cluster.dcsValue('leader'), next.name);
    old.start();
    leader = await cluster.waitForHealthy();
  });

  it('in pause, a dead postmaster on the leader causes no failover; resume heals it', async () => {
    const patch = (body: unknown): Promise<number> =>
      leader.httpStatus('/config', { method: 'PATCH', body: JSON.stringify(body) });
    assert.equal(await patch({ pause: true }), 200);
    await waitFor(
      'every node to report pause',
      async () => {
        const all = await Promise.all(cluster.nodes.map((n) => n.status()));
        return all.every((s) => s?.['pause'] === true);
      },
      60_000,
    );
    const pid = await leader.postmasterPid();
    assert.ok(pid !== null);
    process.kill(pid, 'SIGKILL');
    // Longer than ttl: without pause a replica would have taken the lock by now.
    const deadline = Date.now() + 25_000;
    while (Date.now() < deadline) {
      for (const n of cluster.nodes) {
        if (n === leader) continue;
        assert.notEqual(await n.httpStatus('/primary'), 200, `${n.name} became primary in pause`);
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    assert.equal(await patch({ pause: null }), 200);
    const healed = await cluster.waitForHealthy();
    assert.equal(await cluster.dcsValue('leader'), healed.name);
  });
  it('applies a dynamic parameter change on every node, and flags a restart-needing one', async () => {
    const patch = (body: unknown): Promise<number> =>
      leader.httpStatus('/config', { method: 'PATCH', body: JSON.stringify(body) });
    assert.equal(await patch({ postgresql: { parameters: { work_mem: '7MB' } } }), 200);
    for (const n of cluster.nodes) {
      await waitFor(
        `${n.name} work_mem = 7MB`,
        async () =>
          (await n.sql<{ v: string }>("SELECT current_setting('work_mem') AS v"))[0]?.v === '7MB',
        60_000,
      );
    }
    assert.equal(await patch({ postgresql: { parameters: { max_connections: 33 } } }), 200);
    for (const n of cluster.nodes) {
      await waitFor(
        `${n.name} to report pending_restart`,
        async () => (await n.status())?.['pending_restart'] === true,
        60_000,
      );
    }
  });
  it('re-reads patroni.yml on SIGHUP: a new nofailover tag is published', async () => {
    const replica = cluster.nodes.find((n) => n !== leader);
    assert.ok(replica);
    const text = await readFile(replica.configPath, 'utf8');
    await writeFile(replica.configPath, `${text}\ntags:\n  nofailover: true\n`);
    replica.reload();
    await waitFor(
      `${replica.name}'s member key to carry nofailover`,
      async () => {
        const member = JSON.parse((await cluster.dcsValue(`members/${replica.name}`)) ?? '{}') as {
          tags?: Record<string, unknown>;
        };
        return member.tags?.['nofailover'] === true;
      },
      60_000,
    );
  });
});
