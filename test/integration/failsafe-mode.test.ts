/**
 * failsafe_mode against real components (issue 10): with etcd down the leader keeps its role
 * only while every member acknowledges POST /failsafe; without failsafe it demotes within ttl.
 * One cluster: failsafe on first, then switched off through PATCH /config.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster, type TestNode } from '../support/cluster.js';
import { waitFor } from '../support/postgres.js';

const TTL_MS = 20_000;

/** True when `node` accepts a write as a primary; false when it is read-only or down. */
async function writable(node: TestNode): Promise<boolean> {
  try {
    await node.sql('INSERT INTO fs_t VALUES (1)');
    return true;
  } catch {
    return false;
  }
}

async function primaries(cluster: TestCluster): Promise<string[]> {
  const out: string[] = [];
  for (const n of cluster.nodes) {
    const rows = await n.sql<{ r: boolean }>('SELECT pg_is_in_recovery() AS r').catch(() => []);
    if (rows[0]?.r === false) out.push(n.name);
  }
  return out;
}

/** Recovery after etcd is back: exactly one primary, holding the leader key. */
async function assertOneLeader(cluster: TestCluster): Promise<TestNode> {
  const leader = await cluster.waitForHealthy(180_000);
  assert.equal(await cluster.dcsValue('leader'), leader.name);
  assert.deepEqual(await primaries(cluster), [leader.name]);
  return leader;
}

describe('failsafe_mode during an etcd outage', { timeout: 900_000 }, () => {
  let cluster: TestCluster;
  let leader: TestNode;

  before(async () => {
    cluster = await TestCluster.start({ dcs: { failsafe_mode: true } });
  });
  after(async () => {
    await cluster.stop();
  });

  it('publishes /failsafe with every member', async () => {
    leader = await cluster.waitForHealthy();
    await leader.sql('CREATE TABLE fs_t (id int)');
    const map = await waitFor(
      '/failsafe to list all three members',
      async () => {
        const raw = await cluster.dcsValue('failsafe');
        const m = raw === null ? {} : (JSON.parse(raw) as Record<string, string>);
        return Object.keys(m).length === 3 ? m : undefined;
      },
      60_000,
    );
    for (const n of cluster.nodes) assert.equal(map[n.name], `${n.apiBase}/patroni`);
    // The leader proves its topology from the /failsafe map it last READ (as Patroni does), so
    // let a few HA cycles (loop_wait 2) read back what it wrote before cutting etcd off.
    await new Promise((r) => setTimeout(r, 6000));
  });

  it('keeps the leader writable while both replicas answer, demotes when one is gone', async () => {
    await cluster.etcd.stop();
    // Beyond ttl: without failsafe the leader would have demoted by now.
    const until = Date.now() + TTL_MS + 10_000;
    while (Date.now() < until) {
      assert.equal(await writable(leader), true, `${leader.name} stopped accepting writes`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    const status = await leader.status();
    assert.equal(status?.['failsafe_mode_is_active'], true);
    // Replicas report it too while the primary's pings reach them (Failsafe.is_active, §9.4).
    for (const r of cluster.nodes.filter((n) => n !== leader)) {
      assert.equal((await r.status())?.['failsafe_mode_is_active'], true, r.name);
    }
    assert.equal(await leader.httpStatus('/primary'), 200);

    const replica = cluster.nodes.find((n) => n !== leader);
    assert.ok(replica);
    await replica.kill9();
    await waitFor('the leader to demote', async () => !(await writable(leader)), 60_000);
    assert.deepEqual(await primaries(cluster), [], 'a primary is left during the outage');

    await cluster.etcd.restart();
    replica.start();
    leader = await assertOneLeader(cluster);
  });

  it('without failsafe_mode, demotes within ttl of etcd stopping and recovers after', async () => {
    const patched = await leader.httpStatus('/config', {
      method: 'PATCH',
      body: JSON.stringify({ failsafe_mode: false }),
    });
    assert.equal(patched, 200);
    await waitFor(
      'every node to apply failsafe_mode off',
      async () => {
        const all = await Promise.all(cluster.nodes.map((n) => n.status()));
        return all.every((s) => s !== null && s['failsafe_mode_is_active'] !== true);
      },
      30_000,
    );
    // Let two HA cycles (loop_wait 2) read the new global config.
    await new Promise((r) => setTimeout(r, 5000));
    assert.equal(await writable(leader), true);

    const started = Date.now();
    await cluster.etcd.stop();
    await waitFor('the leader to demote', async () => !(await writable(leader)), 60_000);
    const elapsed = Date.now() - started;
    assert.ok(elapsed < TTL_MS, `demoted after ${elapsed} ms, ttl is ${TTL_MS} ms`);
    assert.deepEqual(await primaries(cluster), []);

    await cluster.etcd.restart();
    await assertOneLeader(cluster);
  });
});
