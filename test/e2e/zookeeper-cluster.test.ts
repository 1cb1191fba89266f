/**
 * A three-node cluster on a real ZooKeeper (Debian's 3.8, standalone, started by the test):
 * bootstrap, a patronictl switchover through HAProxy with no acknowledged write lost, kill -9
 * of the leader (its session and with it the leader node go after ttl), and the rejoin.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster, type TestNode } from '../support/cluster.js';
import { startHaproxyFor, type HaproxyHandle } from '../support/haproxy.js';
import { waitFor } from '../support/postgres.js';
import { zooKeeperStore } from '../support/zookeeper-store.js';
import { patronictlOk } from './ctl.js';
import { missingAcks, switchoverUnderWrites } from './switchover-writes.js';

const SCOPE = 'batman';

async function timeline(node: TestNode): Promise<number> {
  return Number((await node.status())?.['timeline']);
}

describe('a three-node cluster on ZooKeeper', { timeout: 600_000 }, () => {
  let cluster: TestCluster;
  let haproxy: HaproxyHandle | null = null;
  let leader: TestNode;

  before(async () => {
    cluster = await TestCluster.start({ store: zooKeeperStore });
    haproxy = await startHaproxyFor(cluster);
  });
  after(async () => {
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
    const candidate = cluster.nodes.find((n) => n !== leader);
    assert.ok(candidate);
    const { acks } = await switchoverUnderWrites({
      configPath: ctlConfig(),
      scope: SCOPE,
      rwPort: rw(),
      from: leader,
      to: candidate,
    });
    assert.deepEqual(
      await missingAcks(acks, candidate),
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
