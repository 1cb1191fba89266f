/**
 * What the REST API shows of a real cluster between HA cycles (issue 20, items 0 and 3): with
 * loop_wait 10, a leader's /patroni follows PostgreSQL within about a second (a replica that
 * starts streaming, WAL written), and /metrics scraped around a switchover shows the series
 * patroni-ts adds moving as they should. etcd and two patroni-ts nodes with PostgreSQL 15.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call } from '../../src/api/testing/http-client.js';
import { parseLsn } from '../../src/core/model/lsn.js';
import { TestCluster, type TestNode } from '../support/cluster.js';
import { waitFor } from '../support/postgres.js';

/** Long enough that the loop's own refresh cannot explain an answer within ~1.5 s. */
const LOOP_WAIT = 10;

interface Status {
  readonly role?: string;
  readonly xlog?: { readonly location?: number };
  readonly replication?: readonly { application_name: string; state: string }[];
  readonly patroni?: { version?: string };
  readonly implementation?: { name?: string; version?: string };
}

async function status(node: TestNode): Promise<Status> {
  const res = await call(`${node.apiBase}/patroni`);
  assert.equal(res.status, 200);
  return JSON.parse(res.body) as Status;
}

async function metrics(node: TestNode): Promise<string> {
  const res = await call(`${node.apiBase}/metrics`);
  assert.equal(res.status, 200);
  return res.body;
}

/** Sum of the values of every line of `text` that starts with `name{` and has all `labels`. */
function sum(text: string, name: string, labels: readonly string[] = []): number {
  let total = 0;
  let found = false;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (!labels.every((l) => line.includes(l))) continue;
    total += Number(line.split(' ').pop());
    found = true;
  }
  return found ? total : NaN;
}

describe('fresh REST state and metrics on a real cluster (loop_wait 10)', () => {
  let cluster: TestCluster;
  let leader: TestNode;
  let replica: TestNode;

  before(async () => {
    cluster = await TestCluster.start({
      nodes: [{ name: 'node1' }, { name: 'node2' }],
      dcs: { ttl: 30, loop_wait: LOOP_WAIT, retry_timeout: 10 },
    });
    leader = await cluster.waitForHealthy(240_000);
    replica = cluster.nodes.find((n) => n !== leader) as TestNode;
  });

  after(async () => {
    await cluster.stop();
  });

  it('GET /patroni names the implementation, keeping Patroni 3.0.2 where tools read it', async () => {
    const doc = await status(leader);
    assert.equal(doc.patroni?.version, '3.0.2');
    assert.match(doc.implementation?.version ?? '', /^\d+\.\d+\.\d+/);
    assert.equal(doc.implementation?.name, 'patroni-ts');
  });

  it("the leader's /patroni follows its WAL position within about a second", async () => {
    // Three writes at moments unrelated to the leader's cycle (every 10 s): each is visible in
    // /patroni quickly, which the loop's view alone would show only at its next cycle.
    for (let i = 0; i < 3; i++) {
      await leader.sql(
        `CREATE TABLE IF NOT EXISTS fresh_${i} AS SELECT g FROM generate_series(1, 1000) g`,
      );
      const rows = await leader.sql<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
      const written = parseLsn(rows[0]?.lsn ?? '0/0') ?? 0;
      const started = Date.now();
      await waitFor(
        `xlog.location >= ${written} in /patroni`,
        async () => ((await status(leader)).xlog?.location ?? 0) >= written,
        5000,
      );
      assert.ok(Date.now() - started < 2000, `seen after ${Date.now() - started} ms`);
      await new Promise((r) => setTimeout(r, 1700 + i * 1300));
    }
  });

  it("a replica that starts streaming shows in the leader's /patroni within ~2 s", async () => {
    await replica.stopDaemon('SIGTERM');
    await waitFor(
      'the replica gone from pg_stat_replication',
      async () => !(await cluster.streamingFrom(leader)).includes(replica.name),
      60_000,
    );
    replica.start();
    const streamingAt = await waitFor(
      'the replica streaming in pg_stat_replication',
      async () => (await cluster.streamingFrom(leader)).includes(replica.name) && Date.now(),
      120_000,
    );
    const shownAt = await waitFor(
      "the replica streaming in the leader's /patroni",
      async () =>
        ((await status(leader)).replication ?? []).some(
          (r) => r.application_name === replica.name && r.state === 'streaming',
        ) && Date.now(),
      LOOP_WAIT * 1000 + 5000,
    );
    assert.ok(shownAt - streamingAt < 2500, `shown ${shownAt - streamingAt} ms after streaming`);
  });

  it('/metrics scraped around a switchover shows the new series move', async () => {
    // The candidate restarted in the test before: a switchover needs it published as running.
    await waitFor(
      'the candidate running in /cluster and healthy on /replica',
      async () => {
        const body = (await call(`${leader.apiBase}/cluster`)).body;
        const members = (JSON.parse(body) as { members: { name: string; state: string }[] })
          .members;
        const listed = members.some(
          (m) => m.name === replica.name && (m.state === 'running' || m.state === 'streaming'),
        );
        return listed && (await replica.httpStatus('/replica')) === 200;
      },
      60_000,
    );
    const startedAt = Date.now() / 1000;
    const before = { leader: await metrics(leader), replica: await metrics(replica) };
    const cycles = (t: string): number => sum(t, 'patroni_ts_ha_cycle_duration_seconds_count');
    const restCount = (t: string, route: string): number =>
      // A scrape is counted once answered: the first one does not see itself (no series yet).
      sum(t, 'patroni_ts_rest_requests_total', [`route="${route}"`]) || 0;
    // Patroni's series come first and unchanged.
    assert.match(before.leader, /^# HELP patroni_version Patroni semver without periods\.\n/);
    assert.match(before.leader, /^patroni_primary\{scope="batman"\} 1$/m);
    assert.ok(cycles(before.leader) >= 1, before.leader);
    assert.ok(sum(before.leader, 'patroni_ts_leader_lease_remaining_seconds') > 0, before.leader);
    assert.ok(
      Number.isNaN(sum(before.replica, 'patroni_ts_leader_lease_remaining_seconds')),
      before.replica,
    );

    const res = await call(`${leader.apiBase}/switchover`, {
      method: 'POST',
      body: JSON.stringify({ leader: leader.name, candidate: replica.name }),
      timeoutMs: 120_000,
    });
    assert.equal(res.status, 200, res.body);
    const switchedIn = Date.now() / 1000 - startedAt;
    const old = leader;
    leader = replica;
    replica = old;
    await waitFor(
      'the candidate as primary',
      async () => (await leader.httpStatus('/primary')) === 200,
      60_000,
    );

    const switchedTs = (t: string): number =>
      sum(t, 'patroni_ts_last_leader_change_timestamp_seconds', ['kind="switchover"']);
    const after = {
      leader: await waitFor(
        'the switchover in the new leader /metrics',
        async () => {
          const t = await metrics(leader);
          return switchedTs(t) >= startedAt && t;
        },
        60_000,
      ),
      replica: await waitFor(
        'the switchover in the old leader /metrics',
        async () => {
          const t = await metrics(replica);
          return switchedTs(t) >= startedAt && t;
        },
        60_000,
      ),
    };
    const ctx0 = (t: string): string =>
      t
        .split('\n')
        .filter((l) => l.startsWith('patroni_ts_last'))
        .join('\n');
    for (const t of [after.leader, after.replica]) {
      const duration = sum(t, 'patroni_ts_last_leader_change_duration_seconds', [
        'kind="switchover"',
      ]);
      assert.ok(
        duration >= 0 && duration < 60,
        `switchover took ${duration} s (POST: ${switchedIn} s)\n${ctx0(t)}`,
      );
    }
    const show = (t: string): string =>
      t
        .split('\n')
        .filter((l) => l.startsWith('patroni_ts_') && !l.includes('_bucket'))
        .join('\n');
    const ctx = `new leader:\n${show(after.leader)}\nold leader:\n${show(after.replica)}`;
    assert.ok(cycles(after.leader) > cycles(before.replica), `cycles on the new leader\n${ctx}`);
    assert.ok(cycles(after.replica) > cycles(before.leader), `cycles on the old leader\n${ctx}`);
    // Decisions by their reason's kind: the candidate promoted, the old leader demoted.
    const decided = (t: string, kind: string): number =>
      sum(t, 'patroni_ts_ha_decisions_total', [`kind="${kind}"`]) || 0;
    const promoted =
      decided(after.leader, 'promotedAcquired') + decided(after.leader, 'promotedHadLock');
    assert.ok(promoted >= 1, ctx);
    assert.ok(
      sum(after.replica, 'patroni_ts_ha_decisions_total', ['kind="manualFailoverDemoting"']) >= 1,
      ctx,
    );
    assert.ok(
      sum(after.leader, 'patroni_ts_ha_decisions_total', ['kind="healthyLeader"']) >= 1,
      ctx,
    );
    // DCS requests, timed by operation; the lease now on the new leader only.
    for (const op of ['get_cluster', 'touch_member', 'update_leader']) {
      assert.ok(
        sum(after.leader, 'patroni_ts_dcs_request_duration_seconds_count', [`operation="${op}"`]) >=
          1,
        `${op}\n${ctx}`,
      );
    }
    assert.ok(
      sum(after.replica, 'patroni_ts_dcs_request_duration_seconds_count', [
        'operation="delete_leader"',
      ]) >= 1,
    );
    assert.ok(sum(after.leader, 'patroni_ts_leader_lease_remaining_seconds') > 0, ctx);
    assert.ok(Number.isNaN(sum(after.replica, 'patroni_ts_leader_lease_remaining_seconds')), ctx);
    // REST requests: the scrapes and the switchover itself were counted.
    assert.ok(restCount(after.replica, '/metrics') > restCount(before.leader, '/metrics'), ctx);
    assert.equal(
      sum(after.replica, 'patroni_ts_rest_requests_total', [
        'route="/switchover"',
        'method="POST"',
        'status="200"',
      ]),
      1,
    );
  });
});
