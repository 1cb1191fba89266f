/**
 * synchronous_mode against real components (issue 10): three daemons, a writer committing
 * continuously on the leader, kill -9 of the leader node. The new leader must be the member that
 * was in /sync, and it must hold every row whose COMMIT returned. Five rounds on one cluster.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { SUPERUSER_PASSWORD, TestCluster, type TestNode } from '../support/cluster.js';
import { waitFor } from '../support/postgres.js';

// SYNC_ROUNDS shortens a local run; the issue asks for 5.
const ROUNDS = Number(process.env['SYNC_ROUNDS'] ?? 5);

interface SyncKey {
  readonly leader?: string;
  readonly sync_standby?: string | null;
}

/** Commits one row per transaction on `node` until stopped; `acked` holds ids whose COMMIT returned. */
class Writer {
  readonly acked: number[] = [];
  private stopped = false;
  private readonly done: Promise<void>;

  constructor(
    private readonly node: TestNode,
    private nextId: number,
  ) {
    this.done = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const client = new pg.Client({
        host: '127.0.0.1',
        port: this.node.pgPort,
        user: 'postgres',
        password: SUPERUSER_PASSWORD,
        database: 'postgres',
        connectionTimeoutMillis: 2000,
      });
      // A dying server surfaces as an 'error' event too; the failed query reports it.
      client.on('error', () => undefined);
      try {
        await client.connect();
        while (this.active()) {
          const id = this.nextId++;
          await client.query('INSERT INTO acked (id) VALUES ($1)', [id]);
          this.acked.push(id);
        }
      } catch {
        // The leader went away: keep trying until stopped (nothing further is acknowledged).
        await new Promise((r) => setTimeout(r, 200));
      } finally {
        await client.end().catch(() => undefined);
      }
    }
  }

  /** A method, not the field, so the loop re-reads it after each await. */
  private active(): boolean {
    return !this.stopped;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  get next(): number {
    return this.nextId;
  }
}

async function syncKey(cluster: TestCluster): Promise<SyncKey | null> {
  const raw = await cluster.dcsValue('sync');
  return raw === null ? null : (JSON.parse(raw) as SyncKey);
}

/** All nodes streaming, /sync naming the leader and one standby that PostgreSQL treats as sync. */
async function waitForSyncReady(cluster: TestCluster): Promise<{ leader: TestNode; sync: string }> {
  return waitFor(
    'a leader with a confirmed synchronous standby',
    async () => {
      const leader = await cluster.waitForHealthy();
      const key = await syncKey(cluster);
      const sync = key?.sync_standby;
      if (key?.leader !== leader.name || typeof sync !== 'string') return undefined;
      const rows = await leader.sql<{ application_name: string; sync_state: string }>(
        'SELECT application_name, sync_state FROM pg_stat_replication',
      );
      const isSync = rows.some((r) => r.application_name === sync && r.sync_state === 'sync');
      return isSync ? { leader, sync } : undefined;
    },
    180_000,
  );
}

/**
 * Runs `stop` (which ends `sync`'s walsender on `leader`) while sampling, and asserts /sync had
 * stopped naming `sync` in a sample strictly before the walsender was gone (spec/core.md §8.7).
 */
async function assertReleasedFirst(
  cluster: TestCluster,
  leader: TestNode,
  sync: string,
  stop: () => Promise<void>,
): Promise<void> {
  const samples: { named: boolean; streaming: boolean }[] = [];
  // The walsender serving `sync` now: a restart ends it even if a new one appears at once.
  const pidOf = async (): Promise<number | null> => {
    const rows = await leader
      .sql<{ pid: number; application_name: string }>(
        "SELECT pid, application_name FROM pg_stat_replication WHERE state = 'streaming'",
      )
      .catch(() => []);
    return rows.find((r) => r.application_name === sync)?.pid ?? null;
  };
  const first = await pidOf();
  assert.ok(first !== null, `${sync} streams before the stop`);
  const done = new AbortController();
  const sampler = (async () => {
    while (!done.signal.aborted) {
      const named = (await syncKey(cluster).catch(() => null))?.sync_standby === sync;
      const streaming = (await pidOf()) === first;
      samples.push({ named, streaming });
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  try {
    await stop();
    await waitFor(
      'the walsender to end',
      () => Promise.resolve(samples.some((x) => !x.streaming)),
      30_000,
    );
  } finally {
    done.abort();
    await sampler;
  }
  const released = samples.findIndex((x) => !x.named);
  const gone = samples.findIndex((x) => !x.streaming);
  assert.ok(released >= 0 && gone >= 0, JSON.stringify(samples));
  assert.ok(
    released < gone,
    `released from /sync at sample ${released}, walsender gone at ${gone}`,
  );
}

describe(
  'synchronous_mode: kill -9 of the leader under continuous commits',
  { timeout: 900_000 },
  () => {
    let cluster: TestCluster;

    before(async () => {
      cluster = await TestCluster.start({ dcs: { synchronous_mode: true } });
    });
    after(async () => {
      await cluster.stop();
    });

    it('publishes /sync and sets synchronous_standby_names to the chosen standby', async () => {
      const { leader, sync } = await waitForSyncReady(cluster);
      assert.notEqual(sync, leader.name);
      const ssn = await leader.sql<{ v: string }>(
        "SELECT current_setting('synchronous_standby_names') AS v",
      );
      assert.equal(ssn[0]?.v, sync);
      await leader.sql('CREATE TABLE acked (id int PRIMARY KEY)');
    });

    it(`promotes the /sync member with every acknowledged row, ${ROUNDS} times`, async () => {
      let nextId = 1;
      const allAcked: number[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const { leader, sync } = await waitForSyncReady(cluster);
        const writer = new Writer(leader, nextId);
        await waitFor(
          `round ${round}: rows committed`,
          () => Promise.resolve(writer.acked.length >= 50),
          60_000,
        );
        // /sync as the cluster saw it just before the crash (the new leader rewrites it).
        const before = await syncKey(cluster);
        assert.equal(before?.sync_standby, sync, `round ${round}: /sync changed under the writer`);
        await leader.kill9();
        const next = await cluster.waitForLeader(120_000, leader.name);
        await writer.stop();
        nextId = writer.next;
        allAcked.push(...writer.acked);
        assert.equal(next.name, sync, `round ${round}: ${next.name} promoted, /sync named ${sync}`);
        const present = new Set(
          (await next.sql<{ id: number }>('SELECT id FROM acked')).map((r) => r.id),
        );
        const lost = allAcked.filter((id) => !present.has(id));
        assert.deepEqual(lost, [], `round ${round}: acknowledged rows missing on ${next.name}`);
        leader.start();
      }
      assert.ok(allAcked.length >= ROUNDS * 50);
    });

    it('a synchronous standby stopping with SIGTERM is released from /sync before its PostgreSQL stops', async () => {
      const { leader, sync } = await waitForSyncReady(cluster);
      const standby = cluster.node(sync);
      await assertReleasedFirst(cluster, leader, sync, () => standby.stopDaemon('SIGTERM'));
      assert.match(
        await standby.log(),
        /Waiting for primary to release us from synchronous standby/,
      );
      standby.start();
      await waitForSyncReady(cluster);
    });

    it('POST /restart of the synchronous standby is released from /sync first, then restarts', async () => {
      const { leader, sync } = await waitForSyncReady(cluster);
      const standby = cluster.node(sync);
      let status = 0;
      await assertReleasedFirst(cluster, leader, sync, async () => {
        status = await standby.httpStatus('/restart', { method: 'POST', body: '{}' });
      });
      assert.equal(status, 200);
      // The temporary nosync is taken back: the member key shows the configured tags again.
      await waitFor(
        `${sync}'s member key without nosync`,
        async () => {
          const m = JSON.parse((await cluster.dcsValue(`members/${sync}`)) ?? '{}') as {
            tags?: Record<string, unknown>;
          };
          return m.tags?.['nosync'] === undefined;
        },
        30_000,
      );
      await waitForSyncReady(cluster);
    });

    it('maximum_lag_on_syncnode under remote_apply moves the duty off a standby whose replay is paused', async () => {
      const { leader, sync } = await waitForSyncReady(cluster);
      const standby = cluster.node(sync);
      const other = cluster.nodes.find((n) => n !== leader && n !== standby);
      assert.ok(other !== undefined);
      const patch = async (body: unknown): Promise<void> => {
        const status = await leader.httpStatus('/config', {
          method: 'PATCH',
          body: JSON.stringify(body),
        });
        assert.equal(status, 200);
      };
      const commitIs = (value: string) => async () => {
        const rows = await leader.sql<{ v: string }>(
          "SELECT current_setting('synchronous_commit') AS v",
        );
        return rows[0]?.v === value;
      };
      await patch({
        maximum_lag_on_syncnode: 1_000_000,
        postgresql: { parameters: { synchronous_commit: 'remote_apply' } },
      });
      await waitFor('synchronous_commit = remote_apply', commitIs('remote_apply'), 30_000);
      await standby.sql('SELECT pg_catalog.pg_wal_replay_pause()');
      try {
        // Its flush position stays current: only the replay position shows it lagging ~10 MB.
        const c = new pg.Client({
          host: '127.0.0.1',
          port: leader.pgPort,
          user: 'postgres',
          password: SUPERUSER_PASSWORD,
          database: 'postgres',
        });
        await c.connect();
        try {
          await c.query("SET synchronous_commit TO 'local'");
          await c.query(
            'CREATE TABLE lagload AS SELECT g::numeric AS n FROM generate_series(1, 200000) g',
          );
        } finally {
          await c.end();
        }
        const key = await waitFor(
          `/sync to move from ${sync} to ${other.name}`,
          async () => {
            const k = await syncKey(cluster);
            return k?.sync_standby === other.name ? k : undefined;
          },
          30_000,
        );
        assert.equal(key.leader, leader.name);
      } finally {
        await standby.sql('SELECT pg_catalog.pg_wal_replay_resume()').catch(() => undefined);
      }
      await patch({
        maximum_lag_on_syncnode: null,
        postgresql: { parameters: { synchronous_commit: null } },
      });
      await waitFor('synchronous_commit back to on', commitIs('on'), 30_000);
      await leader.sql('DROP TABLE lagload');
    });

    it('synchronous_node_count 2 makes both replicas synchronous, in /sync and in the ssn', async () => {
      const leader = await cluster.waitForHealthy();
      const others = cluster.nodes.filter((n) => n !== leader).map((n) => n.name);
      const patched = await leader.httpStatus('/config', {
        method: 'PATCH',
        body: JSON.stringify({ synchronous_node_count: 2 }),
      });
      assert.equal(patched, 200);
      const key = await waitFor(
        '/sync to name both replicas',
        async () => {
          const k = await syncKey(cluster);
          const names = (k?.sync_standby ?? '').split(',').sort();
          return k !== null && names.join(',') === [...others].sort().join(',') ? k : undefined;
        },
        60_000,
      );
      assert.equal(key.leader, leader.name);
      const ssn = await leader.sql<{ v: string }>(
        "SELECT current_setting('synchronous_standby_names') AS v",
      );
      // 3.0.2's priority syntax: the count, then the names in the order picked.
      assert.match(
        ssn[0]?.v ?? '',
        new RegExp(`^2 \\((${others.join('|')}),(${others.join('|')})\\)$`),
      );
    });
  },
);
