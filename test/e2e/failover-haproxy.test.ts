/**
 * End to end, the demo's stack started by the test: etcd, three patroni-ts daemons with
 * PostgreSQL 15 and HAProxy routing a read-write port to /primary and a read-only port to /replica.
 * An application writes through HAProxy while the operator switches over, while the leader dies
 * hard, and finally while every node but a `nofailover` one is gone. One cluster for the file.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster, type TestNode } from '../support/cluster.js';
import { startHaproxyFor, type HaproxyHandle } from '../support/haproxy.js';
import { waitFor } from '../support/postgres.js';
import { missingAcks, switchoverUnderWrites } from './switchover-writes.js';
import { queryOnce, Writer } from './writer.js';

const SCOPE = 'batman';

async function timeline(node: TestNode): Promise<number> {
  return Number((await node.status())?.['timeline']);
}

describe(
  'writes and reads through HAProxy across switchover and failover',
  { timeout: 600_000 },
  () => {
    let cluster: TestCluster;
    let haproxy: HaproxyHandle | null = null;
    let leader: TestNode;
    let writer: Writer | null = null;

    before(async () => {
      cluster = await TestCluster.start({
        nodes: [
          { name: 'node1' },
          { name: 'node2' },
          { name: 'node3', tags: { nofailover: true } },
        ],
      });
      haproxy = await startHaproxyFor(cluster);
    });
    after(async () => {
      await writer?.stop();
      await haproxy?.stop();
      await cluster.stop();
    });

    const rw = (): number => haproxy?.readWritePort ?? 0;
    const ro = (): number => haproxy?.readOnlyPort ?? 0;
    const ctlConfig = (): string => cluster.node('node1').configPath;

    it('routes reads on the read-only port only to replicas, writes to the leader', async () => {
      leader = await cluster.waitForHealthy();
      assert.notEqual(leader.name, 'node3', 'a nofailover node must not bootstrap the cluster');
      const replicas = cluster.nodes.filter((n) => n !== leader);
      for (const r of replicas) {
        await waitFor(
          `${r.name} /replica 200`,
          async () => (await r.httpStatus('/replica')) === 200,
        );
      }
      const where = 'SELECT pg_is_in_recovery() AS standby, inet_server_port() AS port';
      type Where = { standby: boolean; port: number };
      // HAProxy marks servers up after its first checks; wait until both replicas take reads.
      const seen = new Set<number>();
      await waitFor(
        'HAProxy balancing reads over both replicas',
        async () => {
          const [row] = await queryOnce<Where>(ro(), where);
          if (row !== undefined) seen.add(row.port);
          return seen.size === replicas.length;
        },
        60_000,
      );
      for (let i = 0; i < 12; i++) {
        const [row] = await queryOnce<Where>(ro(), where);
        assert.equal(row?.standby, true, 'a read-only connection landed on the primary');
        assert.ok(replicas.some((r) => r.pgPort === row.port));
      }
      const [w] = await queryOnce<Where>(rw(), where);
      assert.deepEqual(w, { standby: false, port: leader.pgPort });
    });

    it('keeps every acknowledged write across a patronictl switchover', async () => {
      const candidate = cluster.nodes.find((n) => n !== leader && n.name !== 'node3');
      assert.ok(candidate);
      const { acks, gapMs } = await switchoverUnderWrites({
        configPath: ctlConfig(),
        scope: SCOPE,
        rwPort: rw(),
        from: leader,
        to: candidate,
      });
      assert.ok(gapMs < 30_000, `writes stopped for ${gapMs} ms during the switchover`);
      assert.ok(
        acks.some((a) => a.port === leader.pgPort),
        'no write reached the old leader',
      );
      const lost = await missingAcks(acks, candidate);
      assert.deepEqual(lost, [], 'acknowledged rows missing after the switchover');
      assert.equal((await cluster.leader())?.name, candidate.name);
      leader = candidate;
    });

    it('resumes writes on a new leader after kill -9 of the leader; the old one rejoins', async () => {
      const old = leader;
      const oldTimeline = await timeline(old);
      writer = new Writer(rw(), 1_000_000);
      writer.start();
      await waitFor('writes before the crash', () =>
        Promise.resolve((writer?.acks.length ?? 0) >= 10),
      );
      await old.kill9();
      const killedAt = Date.now();
      // node3 is tagged nofailover: the only possible new leader is the remaining node.
      const next = cluster.nodes.find((n) => n !== old && n.name !== 'node3');
      assert.ok(next);
      await waitFor(
        `writes through HAProxy on ${next.name}`,
        () =>
          Promise.resolve(
            writer?.acks.some((a) => a.port === next.pgPort && a.at > killedAt) === true,
          ),
        120_000,
      );
      await writer.stop();
      writer = null;
      assert.equal((await cluster.leader())?.name, next.name);
      await waitFor(
        'the new leader on the next timeline',
        async () => (await timeline(next)) === oldTimeline + 1,
        60_000,
      );

      old.start();
      await waitFor(
        `${old.name} streaming from ${next.name} again`,
        async () => (await cluster.streamingFrom(next)).includes(old.name),
        180_000,
      );
      await waitFor(
        `${old.name} a replica on timeline ${oldTimeline + 1}`,
        async () => {
          const s = await old.status();
          return s?.['role'] === 'replica' && Number(s['timeline']) === oldTimeline + 1;
        },
        60_000,
      );
      assert.equal(await old.httpStatus('/primary'), 503);
      leader = next;
    });

    it('never promotes a nofailover replica, even when it is the only node left', async () => {
      const lone = cluster.node('node3');
      const others = cluster.nodes.filter((n) => n !== lone);
      await Promise.all(others.map((n) => n.kill9()));
      const observe = async (): Promise<void> => {
        assert.notEqual(await lone.httpStatus('/primary'), 200, 'the nofailover node is primary');
        // PostgreSQL may be restarting; only an answer can prove a promotion.
        const rows = await lone
          .sql<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby')
          .catch(() => []);
        for (const row of rows)
          assert.equal(row.standby, true, 'the nofailover node left recovery');
      };
      // The leader key expires after ttl (20 s); watch until then and for several loops after.
      const deadline = Date.now() + 90_000;
      let expiredAt: number | null = null;
      for (;;) {
        await observe();
        const key = await cluster.dcsValue('leader');
        if (expiredAt !== null) assert.equal(key, null, 'someone took the leader key');
        else if (key === null) expiredAt = Date.now();
        else assert.ok(Date.now() < deadline, 'the dead leader key never expired');
        if (expiredAt !== null && Date.now() - expiredAt > 15_000) break;
        await new Promise((r) => setTimeout(r, 500));
      }
    });
  },
);
