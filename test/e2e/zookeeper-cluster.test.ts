/**
 * A three-node cluster on a real ZooKeeper (Debian's 3.8, standalone, started by the test):
 * bootstrap, a patronictl switchover through HAProxy with no acknowledged write lost, kill -9
 * of the leader (its session and with it the leader node go after ttl), and the rejoin.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster, type TestNode } from '../support/cluster.js';
import { startHaproxy, type HaproxyHandle } from '../support/haproxy.js';
import { waitFor } from '../support/postgres.js';
import { zooKeeperStore } from '../support/zookeeper-store.js';
import { patronictlOk } from './ctl.js';
import { ACKED_TABLE_DDL, queryOnce, Writer } from './writer.js';

const SCOPE = 'batman';

async function timeline(node: TestNode): Promise<number> {
  return Number((await node.status())?.['timeline']);
}

describe('a three-node cluster on ZooKeeper', { timeout: 600_000 }, () => {
  let cluster: TestCluster;
  let haproxy: HaproxyHandle | null = null;
  let leader: TestNode;
  let writer: Writer | null = null;

  before(async () => {
    cluster = await TestCluster.start({ store: zooKeeperStore });
    haproxy = await startHaproxy(
      cluster.dir,
      cluster.nodes.map((n) => ({
        name: n.name,
        host: '127.0.0.1',
        pgPort: n.pgPort,
        restPort: n.restPort,
      })),
    );
  });
  after(async () => {
    await writer?.stop();
    await haproxy?.stop();
    await cluster.stop();
  });

  const rw = (): number => haproxy?.readWritePort ?? 0;
  const ctlConfig = (): string => cluster.node('node1').configPath;

  it('bootstraps: one leader, two streaming replicas, Patroni-format nodes', async () => {
    leader = await cluster.waitForHealthy();
    assert.equal(await cluster.dcsValue('leader'), leader.name);
    assert.match((await cluster.dcsValue('initialize')) ?? '', /^\d{10,}$/);
    const member = JSON.parse((await cluster.dcsValue(`members/${leader.name}`)) ?? '{}') as {
      role?: string;
    };
    assert.equal(member.role, 'master');
    const list = await patronictlOk(ctlConfig(), ['list', SCOPE]);
    for (const n of cluster.nodes) assert.match(list, new RegExp(`\\| ${n.name} `));
    assert.match(list, /\| Leader +\| running/);
  });

  it('switches over with patronictl, keeping every acknowledged write', async () => {
    await queryOnce(rw(), ACKED_TABLE_DDL);
    const candidate = cluster.nodes.find((n) => n !== leader);
    assert.ok(candidate);
    writer = new Writer(rw(), 1);
    writer.start();
    await waitFor('writes on the old leader', () =>
      Promise.resolve((writer?.acks.length ?? 0) >= 20),
    );
    const out = await patronictlOk(ctlConfig(), [
      'switchover',
      SCOPE,
      '--leader',
      leader.name,
      '--candidate',
      candidate.name,
      '--force',
    ]);
    assert.match(out, new RegExp(`Successfully switched over to "${candidate.name}"`));
    await waitFor(
      'writes through HAProxy on the new leader',
      () =>
        Promise.resolve(
          (writer?.acks.filter((a) => a.port === candidate.pgPort).length ?? 0) >= 20,
        ),
      90_000,
    );
    await writer.stop();
    const acks = writer.acks;
    writer = null;
    const rows = await candidate.sql<{ id: number }>('SELECT id FROM acked');
    const present = new Set(rows.map((r) => r.id));
    assert.deepEqual(
      acks.filter((a) => !present.has(a.id)).map((a) => a.id),
      [],
      'acknowledged rows missing after the switchover',
    );
    assert.equal(await cluster.dcsValue('leader'), candidate.name);
    leader = candidate;
  });

  it('fails over after kill -9 of the leader; the old leader rejoins as a replica', async () => {
    const old = leader;
    const oldTimeline = await timeline(old);
    await old.kill9();
    const next = await cluster.waitForLeader(120_000, old.name);
    const survivor = cluster.nodes.find((n) => n !== old && n !== next);
    assert.ok(survivor);
    await waitFor(
      'the other replica to stream from the new leader',
      async () => (await cluster.streamingFrom(next)).includes(survivor.name),
      120_000,
    );
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
    assert.equal(await cluster.dcsValue('leader'), next.name);
  });
});
