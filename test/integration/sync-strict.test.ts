/**
 * synchronous_mode_strict and the nosync tag against real components (issue 10). node3 carries
 * `nosync: true`: a sampler watches /sync and the leader's synchronous_standby_names for the whole
 * file and node3 must never appear. With both replicas stopped a commit blocks until one is back.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { SUPERUSER_PASSWORD, TestCluster, type TestNode } from '../support/cluster.js';
import { waitFor } from '../support/postgres.js';

interface SyncKey {
  readonly leader?: string;
  readonly sync_standby?: string | null;
}

/** Records every /sync sync_standby and every primary's ssn value seen, every 500 ms, until stopped. */
class Sampler {
  readonly seen = new Set<string>();
  private stopped = false;
  private readonly done: Promise<void>;

  constructor(private readonly cluster: TestCluster) {
    this.done = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const raw = await this.cluster.dcsValue('sync').catch(() => null);
      if (raw !== null) this.seen.add(`/sync ${String((JSON.parse(raw) as SyncKey).sync_standby)}`);
      for (const n of this.cluster.nodes) {
        if (!n.running) continue;
        const rows = await n
          .sql<{ v: string; r: boolean }>(
            "SELECT current_setting('synchronous_standby_names') AS v, pg_is_in_recovery() AS r",
          )
          .catch(() => []);
        const row = rows[0];
        if (row !== undefined && !row.r) this.seen.add(`ssn ${row.v}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }
}

async function syncKey(cluster: TestCluster): Promise<SyncKey | null> {
  const raw = await cluster.dcsValue('sync');
  return raw === null ? null : (JSON.parse(raw) as SyncKey);
}

function client(node: TestNode): pg.Client {
  const c = new pg.Client({
    host: '127.0.0.1',
    port: node.pgPort,
    user: 'postgres',
    password: SUPERUSER_PASSWORD,
    database: 'postgres',
    connectionTimeoutMillis: 3000,
  });
  c.on('error', () => undefined);
  return c;
}

describe('synchronous_mode_strict with a nosync member', { timeout: 600_000 }, () => {
  let cluster: TestCluster;
  let sampler: Sampler;
  let leader: TestNode;

  before(async () => {
    cluster = await TestCluster.start({
      dcs: { synchronous_mode: true, synchronous_mode_strict: true },
      nodes: [{ name: 'node1' }, { name: 'node2' }, { name: 'node3', tags: { nosync: true } }],
    });
    sampler = new Sampler(cluster);
  });
  after(async () => {
    await sampler.stop();
    await cluster.stop();
  });

  it('picks the only eligible replica as synchronous standby', async () => {
    // node3 is nosync: whichever of node1/node2 leads, the other one is the only candidate.
    leader = await cluster.waitForHealthy();
    const leaderName = leader.name;
    const expected = leaderName === 'node3' ? null : leaderName === 'node1' ? 'node2' : 'node1';
    const key = await waitFor(
      '/sync to name a standby',
      async () => {
        const k = await syncKey(cluster);
        return typeof k?.sync_standby === 'string' && k.leader === leaderName ? k : undefined;
      },
      120_000,
    );
    if (expected !== null) assert.equal(key.sync_standby, expected);
    assert.notEqual(key.sync_standby, 'node3');
    const ssn = await leader.sql<{ v: string }>(
      "SELECT current_setting('synchronous_standby_names') AS v",
    );
    assert.equal(ssn[0]?.v, key.sync_standby);
    if (leaderName !== 'node3') {
      // §8.5: a switchover to a member outside /sync is refused before anything is written.
      const res = await fetch(`${leader.apiBase}/switchover`, {
        method: 'POST',
        body: JSON.stringify({ leader: leaderName, candidate: 'node3' }),
        signal: AbortSignal.timeout(10_000),
      });
      assert.equal(res.status, 412);
      assert.equal(await res.text(), 'candidate name does not match with sync_standby');
      assert.equal(await cluster.dcsValue('leader'), leaderName);
    }
    await leader.sql('CREATE TABLE strict_t (id int)');
  });

  it('blocks a commit while both replicas are stopped, and completes it when one returns', async () => {
    const replicas = cluster.nodes.filter((n) => n !== leader);
    await Promise.all(replicas.map((r) => r.stopDaemon('SIGTERM')));
    await waitFor(
      'no walsender left on the leader',
      async () => (await cluster.streamingFrom(leader)).length === 0,
      60_000,
    );
    const c = client(leader);
    await c.connect();
    try {
      let committed = false;
      const insert = c.query('INSERT INTO strict_t VALUES (1)').then(() => {
        committed = true;
      });
      // Longer than several HA cycles: the leader must not fall back to asynchronous commits.
      const blocked = await Promise.race([
        insert.then(() => false),
        new Promise<boolean>((r) =>
          setTimeout(() => {
            r(true);
          }, 15_000),
        ),
      ]);
      assert.equal(blocked, true, 'the commit returned with no synchronous standby');
      assert.equal(await leader.httpStatus('/primary'), 200, 'the leader kept its role');
      const back = replicas.find((r) => r.name !== 'node3') ?? replicas[0];
      assert.ok(back);
      back.start();
      await waitFor('the blocked commit to return', () => Promise.resolve(committed), 180_000);
      await insert;
    } finally {
      await c.end().catch(() => undefined);
    }
    assert.deepEqual(await leader.sql('SELECT id FROM strict_t'), [{ id: 1 }]);
  });

  it('never named the nosync member in /sync or synchronous_standby_names', async () => {
    for (const r of cluster.nodes) if (!r.running) r.start();
    await cluster.waitForHealthy();
    await sampler.stop();
    const seen = [...sampler.seen];
    assert.ok(
      seen.some((s) => s.startsWith('/sync ')),
      'the sampler saw /sync',
    );
    assert.deepEqual(
      seen.filter((s) => s.includes('node3')),
      [],
    );
    // Once node3 was back, the leader still picks the other replica (or nobody, if node3 leads).
    const key = await syncKey(cluster);
    assert.notEqual(key?.sync_standby, 'node3');
  });
});
