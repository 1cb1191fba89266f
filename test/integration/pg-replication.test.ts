import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { desiredSlots, planSlots } from '../../src/core/pg/slots.js';
import { freePorts } from '../support/ports.js';
import { makeTempDir, removeTempDir } from '../support/tmpdir.js';
import {
  killPostmaster,
  makeBootstrapOptions,
  makePgOptions,
  makeTestPostgresql,
  sql,
  waitFor,
} from '../support/postgres.js';
import type { TestPg } from '../support/postgres.js';

/** Creates on `primary` the member slots it should hold for `members` (core plan + SQL apply). */
async function syncSlots(primary: TestPg, members: readonly string[]): Promise<void> {
  const desired = desiredSlots({
    role: 'primary',
    selfName: primary.options.name,
    leaderName: primary.options.name,
    members: members.map((name) => ({ name })),
    useSlots: true,
    permanent: {},
    nofailover: false,
  });
  const plan = planSlots(desired.slots, await primary.pg.listSlots(), {
    paused: false,
    ignore: [],
    createLogical: true,
  });
  await primary.pg.applySlotPlan(plan);
}

function target(node: TestPg): { name: string; connUrl: string } {
  return { name: node.options.name, connUrl: `postgres://${node.options.connectAddress}/postgres` };
}

async function streamingTo(primary: TestPg, replicaName: string): Promise<boolean> {
  const rows = await sql<{ state: string }>(
    primary.options,
    'SELECT state FROM pg_stat_replication WHERE application_name = $1',
    [replicaName],
  );
  return rows[0]?.state === 'streaming';
}

async function slotActive(primary: TestPg, slot: string): Promise<boolean> {
  const rows = await sql<{ active: boolean }>(
    primary.options,
    'SELECT active FROM pg_replication_slots WHERE slot_name = $1',
    [slot],
  );
  return rows[0]?.active === true;
}

describe(
  'replication on real PostgreSQL 15: clone, stream, promote, rewind, re-clone',
  { timeout: 600_000 },
  () => {
    let dir: string;
    let a: TestPg;
    let b: TestPg;

    before(async () => {
      dir = await makeTempDir('pg-replication-');
      const [pa, pb] = await freePorts(2);
      a = makeTestPostgresql(makePgOptions(dir, pa!, { name: 'node-a', usePgRewind: true }));
      b = makeTestPostgresql(
        makePgOptions(dir, pb!, {
          name: 'node-b',
          usePgRewind: false,
          removeDataDirectoryOnDivergedTimelines: true,
          basebackup: [{ checkpoint: 'fast' }],
        }),
      );
    });

    after(async () => {
      await a.pg.close();
      await b.pg.close();
      await killPostmaster(a.options.dataDir);
      await killPostmaster(b.options.dataDir);
      if (process.env['KEEP_PG_TEST_DIR'] === undefined) await removeTempDir(dir);
    });

    it('clones a replica with pg_basebackup that streams through its slot', async () => {
      assert.equal(await a.pg.bootstrap(makeBootstrapOptions()), 'running');
      await a.pg.postBootstrap(makeBootstrapOptions());
      await syncSlots(a, ['node-a', 'node-b']);
      await sql(a.options, 'CREATE TABLE t (id int primary key, who text)');
      await sql(a.options, "INSERT INTO t VALUES (1, 'a-before-clone')");

      const clone = await b.pg.createReplica(target(a));
      assert.deepEqual(clone, { ok: true, method: 'basebackup' });
      assert.equal(await b.pg.follow(target(a)), 'running');
      await waitFor('node-b streaming from node-a', () => streamingTo(a, 'node-b'));
      assert.equal(await slotActive(a, 'node_b'), true);

      const conf = await readFile(join(b.options.dataDir, 'postgresql.conf'), 'utf8');
      assert.ok(conf.includes('\n# recovery.conf\n'));
      assert.ok(conf.includes("primary_slot_name = 'node_b'\n"));
      assert.match(
        conf,
        /primary_conninfo = 'user=replicator passfile=\S+ host=127\.0\.0\.1 port=\d+ sslmode=prefer application_name=node-b gssencmode=prefer channel_binding=prefer'/,
      );
      assert.ok(!conf.includes('rep-secret'), 'the password stays in the passfile');
      const s = await waitFor('wal receiver reports its timeline', async () => {
        const o = await b.pg.observe();
        return o.receivedTimeline === null ? undefined : o;
      });
      assert.equal(s.inRecovery, true);
      assert.equal(s.receivedTimeline, 1);
      assert.equal(s.timeline, 1);
      await waitFor(
        'row replicated',
        async () => (await sql(b.options, 'SELECT 1 FROM t WHERE id = 1')).length === 1,
      );
    });

    it('a restarted daemon (fresh object) restarts the replica without losing its recovery settings', async () => {
      // Also: a replica configured below the primary's recorded max_connections starts anyway.
      // An ALTER SYSTEM primary_conninfo would override ours: it is stripped on the next write.
      await sql(b.options, "ALTER SYSTEM SET primary_conninfo = 'host=nowhere'");
      const fresh = makeTestPostgresql({
        ...b.options,
        parameters: { ...b.options.parameters, max_connections: 15 },
      });
      try {
        assert.equal(await fresh.pg.restart(), 'running');
        await waitFor('node-b streaming again', () => streamingTo(a, 'node-b'));
        assert.equal((await fresh.pg.observe()).inRecovery, true);
        const mc = await sql<{ v: string }>(
          b.options,
          "SELECT current_setting('max_connections') AS v",
        );
        assert.equal(mc[0]?.v, '20');
        const auto = await readFile(join(b.options.dataDir, 'postgresql.auto.conf'), 'utf8');
        assert.ok(!auto.includes('primary_conninfo'));
        assert.ok(
          fresh.logger.lines.some((l) => l.message.startsWith('max_connections is lower than')),
        );
      } finally {
        await fresh.pg.close();
      }
    });

    it('promotes the replica, which then accepts writes', async () => {
      await syncSlots(b, ['node-a', 'node-b']);
      await b.pg.promote({ wait: true });
      const s = await b.pg.observe();
      assert.equal(s.inRecovery, false);
      assert.equal(s.timeline, 2);
      await sql(b.options, "INSERT INTO t VALUES (2, 'b-after-promote')");
      const history = await b.pg.readTimelineHistory(2);
      assert.equal(history?.lines[0]?.parentTimeline, 1);
    });

    it('rewinds the former primary after writes on both sides, and it follows the new primary', async () => {
      await sql(a.options, "INSERT INTO t VALUES (3, 'a-diverged')");
      const divergence = await a.pg.checkDivergence(target(b));
      assert.equal(divergence.verdict, 'need');
      assert.equal(await a.pg.canRewind(), true);
      assert.equal(await a.pg.leaderCheckpointGate(target(b), null), null);
      assert.equal(await a.pg.rewind(target(b)), true);
      assert.equal(await a.pg.follow(target(b)), 'running');
      await waitFor('node-a streaming from node-b', () => streamingTo(b, 'node-a'));
      assert.equal(await slotActive(b, 'node_a'), true);
      await waitFor(
        'b row on a',
        async () => (await sql(a.options, 'SELECT 1 FROM t WHERE id = 2')).length === 1,
      );
      const diverged = await sql(a.options, 'SELECT 1 FROM t WHERE id = 3');
      assert.equal(diverged.length, 0, 'the diverged write is gone');
    });

    it('re-clones a diverged node when rewind is impossible and removal is configured', async () => {
      await syncSlots(a, ['node-a', 'node-b']);
      await a.pg.promote({ wait: true });
      await sql(b.options, "INSERT INTO t VALUES (4, 'b-diverged')");
      await b.pg.stop({ mode: 'fast' });
      await sql(a.options, "INSERT INTO t VALUES (5, 'a-new-primary')");
      const divergence = await b.pg.checkDivergence(target(a));
      assert.equal(divergence.verdict, 'need');
      assert.equal(await b.pg.canRewind(), false);
      assert.equal(b.options.removeDataDirectoryOnDivergedTimelines, true);
      await b.pg.removeDataDirectory();
      assert.equal((await b.pg.observe()).dataDirEmpty, true);
      assert.deepEqual(await b.pg.createReplica(target(a)), { ok: true, method: 'basebackup' });
      assert.equal(await b.pg.follow(target(a)), 'running');
      await waitFor('node-b streaming from node-a again', () => streamingTo(a, 'node-b'));
      await waitFor(
        'a row on b',
        async () => (await sql(b.options, 'SELECT 1 FROM t WHERE id = 5')).length === 1,
      );
      assert.equal((await sql(b.options, 'SELECT 1 FROM t WHERE id = 4')).length, 0);
    });

    it('a replica that is up to date with a clean switchover needs no rewind', async () => {
      const divergence = await b.pg.checkDivergence(target(a));
      assert.equal(divergence.verdict, 'not_need');
    });

    it('a replica whose slot is missing on its upstream creates it there and streams at once', async () => {
      // As after a failover: the new leader does not know the rejoining node yet.
      await b.pg.stop({ mode: 'fast' });
      await sql(a.options, "SELECT pg_catalog.pg_drop_replication_slot('node_b')");
      const started = Date.now();
      assert.equal(await b.pg.follow(target(a)), 'running');
      // Well under wal_retrieve_retry_interval (5 s): the first START_REPLICATION found its slot.
      await waitFor('node-b streaming through a new slot', () => slotActive(a, 'node_b'), 4_000);
      assert.ok(Date.now() - started < 4_000);
      assert.ok(
        b.logger.lines.some((l) => l.message === "created replication slot 'node_b' on node-a"),
      );
    });

    it('never logged a password, and the pgpass files are 0600', async () => {
      for (const node of [a, b]) {
        for (const line of node.logger.lines) {
          const text = `${line.message} ${JSON.stringify(line.fields ?? {})}`;
          for (const secret of ['su-secret', 'rep-secret', 'rw-secret']) {
            assert.ok(!text.includes(secret), `secret in log line: ${line.message}`);
          }
        }
        assert.equal((await stat(node.options.pgpass)).mode & 0o777, 0o600);
      }
    });
  },
);
