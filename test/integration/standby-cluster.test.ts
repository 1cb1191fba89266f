/**
 * A standby cluster against real components (spec/core.md §17): cluster "batman1" on its own
 * etcd replicates a primary cluster through `standby_cluster` in bootstrap.dcs. Its first member
 * clones the remote primary and becomes the standby leader (streaming through the remote's
 * permanent slot), the other member cascades from it, and when the standby leader dies the other
 * member takes over as standby leader and streams from the remote primary itself.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster, type TestNode } from '../support/cluster.js';
import { waitFor } from '../support/postgres.js';

async function standbyLeader(c: TestCluster, except?: string): Promise<TestNode | undefined> {
  for (const n of c.nodes) {
    if (n.name !== except && (await n.httpStatus('/standby-leader')) === 200) return n;
  }
  return undefined;
}

async function slotActive(node: TestNode, slot: string): Promise<boolean> {
  const rows = await node.sql<{ active: boolean }>(
    `SELECT active FROM pg_replication_slots WHERE slot_name = '${slot}'`,
  );
  return rows[0]?.active === true;
}

async function hasRow(node: TestNode, value: number): Promise<boolean> {
  const rows = await node
    .sql<{ n: string }>(`SELECT count(*) AS n FROM standby_t WHERE id = ${value}`)
    .catch(() => []);
  return rows[0]?.n === '1';
}

describe('a standby cluster following a primary cluster', { timeout: 600_000 }, () => {
  let primaryCluster: TestCluster;
  let standby: TestCluster;
  let remote: TestNode;
  let standbyLead: TestNode;

  before(async () => {
    primaryCluster = await TestCluster.start({
      nodes: [{ name: 'node1' }],
      dcs: { slots: { pm_1: { type: 'physical' } } },
    });
    remote = await primaryCluster.waitForHealthy();
    await remote.sql('CREATE TABLE standby_t (id int); INSERT INTO standby_t VALUES (1)');
    standby = await TestCluster.start({
      scope: 'batman1',
      nodes: [{ name: 'sb1' }, { name: 'sb2' }],
      dcs: {
        standby_cluster: { host: '127.0.0.1', port: remote.pgPort, primary_slot_name: 'pm_1' },
      },
    });
  });
  after(async () => {
    await standby.stop();
    await primaryCluster.stop();
  });

  it('has one standby leader streaming from the remote primary through its slot', async () => {
    standbyLead = await waitFor('a standby leader', () => standbyLeader(standby), 180_000);
    assert.equal(await standbyLead.httpStatus('/primary'), 503);
    const lead = standbyLead;
    await waitFor('role standby_leader in /patroni', async () => {
      return (await lead.status())?.['role'] === 'standby_leader';
    });
    const member = JSON.parse((await standby.dcsValue(`members/${standbyLead.name}`)) ?? '{}') as {
      role?: string;
    };
    assert.equal(member.role, 'standby_leader');
    await waitFor('the remote slot pm_1 in use', () => slotActive(remote, 'pm_1'), 60_000);
    assert.deepEqual(await primaryCluster.streamingFrom(remote), [standbyLead.name]);
  });

  it('the other member cascades from the standby leader; writes on the remote reach both', async () => {
    const other = standby.nodes.find((n) => n !== standbyLead);
    assert.ok(other);
    await waitFor(
      `${other.name} streaming from the standby leader`,
      async () => (await standby.streamingFrom(standbyLead)).includes(other.name),
      120_000,
    );
    await waitFor(
      `${other.name} /replica 200`,
      async () => (await other.httpStatus('/replica')) === 200,
    );
    await remote.sql('INSERT INTO standby_t VALUES (2)');
    for (const n of standby.nodes) await waitFor(`row 2 on ${n.name}`, () => hasRow(n, 2), 30_000);
  });

  it('when the standby leader dies, the other member takes over and follows the remote', async () => {
    const old = standbyLead;
    await old.kill9();
    const next = await waitFor(
      'a new standby leader',
      () => standbyLeader(standby, old.name),
      120_000,
    );
    await waitFor(
      `${next.name} streaming from the remote primary`,
      async () => (await primaryCluster.streamingFrom(remote)).includes(next.name),
      60_000,
    );
    assert.equal(await next.httpStatus('/primary'), 503);
    await remote.sql('INSERT INTO standby_t VALUES (3)');
    await waitFor(`row 3 on ${next.name}`, () => hasRow(next, 3), 30_000);
    assert.match(await next.log(), /promoted self to a standby leader by acquiring session lock/);
  });
});
