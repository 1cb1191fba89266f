/**
 * Permanent logical replication slots against real components (spec/core.md §13.2): the primary
 * creates the slot and publishes its position in `/status`, the replica copies the slot's state
 * file from the primary and keeps its copy moving with pg_replication_slot_advance, so the slot
 * is still there, caught up, after a failover. `ignore_slots` keeps unmanaged slots alive.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster, type TestNode } from '../support/cluster.js';
import { waitFor } from '../support/postgres.js';

const SLOT = 'test_logical';

async function confirmedFlush(node: TestNode, slot: string): Promise<string | null> {
  const rows = await node.sql<{ lsn: string | null }>(
    `SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = '${slot}'`,
  );
  return rows[0]?.lsn ?? null;
}

describe('permanent logical slots on a primary and its replica', { timeout: 600_000 }, () => {
  let cluster: TestCluster;
  let leader: TestNode;
  let replica: TestNode;

  before(async () => {
    cluster = await TestCluster.start({
      nodes: [{ name: 'node1' }, { name: 'node2' }],
      dcs: {
        postgresql: {
          use_pg_rewind: true,
          parameters: { max_connections: 30, shared_buffers: '16MB', wal_level: 'logical' },
        },
      },
    });
    leader = await cluster.waitForHealthy();
    const other = cluster.nodes.find((n) => n !== leader);
    assert.ok(other);
    replica = other;
  });
  after(async () => {
    await cluster.stop();
  });

  it('the primary creates the slot and publishes its position in /status', async () => {
    // Added once the replica streams, as operators do (and as Patroni's own suite does): a slot
    // older than the replica's clone would need WAL the replica never had.
    const patch = {
      slots: { [SLOT]: { type: 'logical', database: 'postgres', plugin: 'test_decoding' } },
      ignore_slots: [{ name: 'unmanaged' }],
    };
    const res = await fetch(`${leader.apiBase}/config`, {
      method: 'PATCH',
      body: JSON.stringify(patch),
      signal: AbortSignal.timeout(10_000),
    });
    assert.equal(res.status, 200);
    await waitFor(
      'the slot on the primary',
      async () => (await confirmedFlush(leader, SLOT)) ?? false,
    );
    const status = await waitFor('/status with slots', async () => {
      const v = JSON.parse((await cluster.dcsValue('status')) ?? '{}') as {
        slots?: Record<string, number>;
      };
      return v.slots?.[SLOT] !== undefined ? v : undefined;
    });
    assert.equal(typeof status.slots?.[SLOT], 'number');
  });

  it('the replica gets a copy of the slot and keeps it in step with the primary', async () => {
    await waitFor(
      'the copy on the replica',
      async () => (await confirmedFlush(replica, SLOT)) ?? false,
      60_000,
    );
    // The consumer moves the primary's slot on; the copy must follow within a few loops.
    await leader.sql('CREATE TABLE replicate_me (id int); INSERT INTO replicate_me VALUES (1)');
    await leader.sql(`SELECT * FROM pg_logical_slot_get_changes('${SLOT}', NULL, NULL)`);
    const target = await confirmedFlush(leader, SLOT);
    assert.ok(target !== null);
    await waitFor(
      'the copy advanced to the primary’s confirmed_flush_lsn',
      async () => (await confirmedFlush(replica, SLOT)) === target,
      30_000,
    );
    const log = await replica.log();
    assert.match(log, /Copying logical slots \['test_logical'\] from the primary/);
  });

  it('after a switchover to the replica the slot is there, and ignored slots survive', async () => {
    await leader.sql(
      "SELECT pg_create_logical_replication_slot('unmanaged', 'test_decoding'), " +
        "pg_create_logical_replication_slot('dummy', 'test_decoding')",
    );
    // A clean switchover: the replica has replayed everything, so the old primary needs no
    // pg_rewind (which would delete its pg_replslot, ignored slots included).
    await leader.sql('INSERT INTO replicate_me VALUES (2)');
    await waitFor('the replica caught up', async () => {
      const rows = await replica.sql<{ n: string }>('SELECT count(*) AS n FROM replicate_me');
      return rows[0]?.n === '2';
    });
    const res = await fetch(`${leader.apiBase}/switchover`, {
      method: 'POST',
      body: JSON.stringify({ leader: leader.name, candidate: replica.name }),
      signal: AbortSignal.timeout(30_000),
    });
    assert.equal(res.status, 200);
    await waitFor(
      'the replica to be primary',
      async () => (await replica.httpStatus('/primary')) === 200,
      60_000,
    );
    assert.notEqual(await confirmedFlush(replica, SLOT), null, 'the slot on the new primary');
    await waitFor(
      'the old primary streaming from the new one',
      async () => (await cluster.streamingFrom(replica)).includes(leader.name),
      120_000,
    );
    // The old primary, now a replica, keeps the ignored slot and drops the unknown one.
    await waitFor(
      'dummy dropped on the old primary',
      async () => (await confirmedFlush(leader, 'dummy')) === null,
    );
    assert.notEqual(await confirmedFlush(leader, 'unmanaged'), null, 'the ignored slot kept');
    assert.notEqual(await confirmedFlush(leader, SLOT), null, 'the copy on the new replica');
  });
});
