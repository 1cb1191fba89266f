/**
 * A three-node cluster on etcd's v2 API (`etcd:` section, etcd 3.4 with --enable-v2): bootstrap,
 * kill -9 failover and rejoin, patronictl switchover, all through the keys Patroni 3.0.2's v2
 * client writes.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { TestCluster, type TestNode } from '../support/cluster.js';
import { startHaproxyFor, type HaproxyHandle } from '../support/haproxy.js';
import { waitFor } from '../support/postgres.js';
import { listMembers } from '../e2e/ctl.js';
import { missingAcks, switchoverUnderWrites } from '../e2e/switchover-writes.js';
import { queryOnce } from '../e2e/writer.js';

describe('a three-node cluster on etcd v2 (etcd: section)', { timeout: 600_000 }, () => {
  let cluster: TestCluster;
  let leader: TestNode;
  let haproxy: HaproxyHandle | null = null;

  before(async () => {
    cluster = await TestCluster.start({ dcsKind: 'etcd' });
    haproxy = await startHaproxyFor(cluster);
  });
  after(async () => {
    await haproxy?.stop();
    await cluster.stop();
  });

  async function v2Node(key: string): Promise<{ value?: string; ttl?: number } | undefined> {
    const res = await fetch(`${cluster.etcd.endpoint}/v2/keys/service/${cluster.scope}/${key}`);
    return ((await res.json()) as { node?: { value?: string; ttl?: number } }).node;
  }

  it('forms one leader and two streaming replicas; leader and member keys carry the ttl', async () => {
    leader = await cluster.waitForHealthy();
    const others = cluster.nodes.filter((n) => n !== leader);
    assert.deepEqual(await cluster.streamingFrom(leader), others.map((n) => n.name).sort());
    const lock = await v2Node('leader');
    assert.equal(lock?.value, leader.name);
    assert.ok((lock.ttl ?? 0) > 0 && (lock.ttl ?? 0) <= 20, `leader ttl ${String(lock.ttl)}`);
    const member = await v2Node(`members/${leader.name}`);
    assert.ok((member?.ttl ?? 0) > 0, 'member key has a ttl');
    assert.equal((JSON.parse(member?.value ?? '{}') as { role?: string }).role, 'master');
    assert.equal((await v2Node('initialize'))?.ttl, undefined, 'initialize has no ttl');
    const rows = await listMembers(leader.configPath, cluster.scope);
    assert.deepEqual(rows.map((r) => r['Member']).sort(), ['node1', 'node2', 'node3']);
    assert.equal(rows.find((r) => r['Member'] === leader.name)?.['Role'], 'Leader');
  });

  it('fails over after kill -9 of the leader, and the old leader rejoins as a replica', async () => {
    await leader.sql('CREATE TABLE IF NOT EXISTS t (id int); INSERT INTO t VALUES (1)');
    const oldTimeline = Number((await leader.status())?.['timeline']);
    await leader.kill9();
    const next = await cluster.waitForLeader(120_000, leader.name);
    assert.equal(await cluster.dcsValue('leader'), next.name);
    await waitFor(
      'the new leader on the next timeline',
      async () => Number((await next.status())?.['timeline']) === oldTimeline + 1,
      60_000,
    );
    assert.deepEqual(await next.sql('SELECT id FROM t'), [{ id: 1 }]);
    leader.start();
    await waitFor(
      'the old leader to stream from the new one',
      async () => (await cluster.streamingFrom(next)).includes(leader.name),
      120_000,
    );
    leader = next;
  });

  it('switches over with patronictl through HAProxy, losing no acknowledged write', async () => {
    leader = await cluster.waitForHealthy();
    const candidate = cluster.nodes.find((n) => n !== leader);
    assert.ok(candidate);
    const rw = haproxy?.readWritePort ?? 0;
    await waitFor(
      'HAProxy routing writes to the leader',
      async () => {
        const [row] = await queryOnce<{ port: number }>(rw, 'SELECT inet_server_port() AS port');
        return row?.port === leader.pgPort;
      },
      60_000,
    );
    const { acks } = await switchoverUnderWrites({
      configPath: leader.configPath,
      scope: cluster.scope,
      rwPort: rw,
      from: leader,
      to: candidate,
    });
    assert.equal(await cluster.dcsValue('leader'), candidate.name);
    const lost = await missingAcks(acks, candidate);
    assert.deepEqual(lost, [], 'acknowledged rows missing after the switchover');
    assert.ok(
      acks.some((a) => a.port === leader.pgPort),
      'writes reached the old leader',
    );
    assert.equal(await cluster.dcsValue('failover'), '{}', 'the request is cleared');
  });
});

describe('a node whose etcd does not serve the v2 API', { timeout: 120_000 }, () => {
  it('logs the error naming --enable-v2 and etcd3: every cycle, keeps running, writes nothing', async () => {
    const cluster = await TestCluster.start({
      dcsKind: 'etcd',
      enableV2: false,
      nodes: [{ name: 'node1' }],
    });
    try {
      const node = cluster.node('node1');
      await waitFor(
        'the error logged twice (retried)',
        async () =>
          (await node.log()).split('start etcd with --enable-v2, or use an etcd3: section').length >
          2,
        60_000,
      );
      assert.ok(node.running, 'the daemon did not exit');
      assert.equal(await node.postmasterPid(), null, 'PostgreSQL was not started');
      const v3 = await fetch(`${cluster.etcd.endpoint}/v3/kv/range`, {
        method: 'POST',
        body: JSON.stringify({ key: Buffer.from('/').toString('base64'), range_end: 'AA==' }),
      });
      assert.equal(((await v3.json()) as { count?: string }).count, undefined, 'no v3 keys');
    } finally {
      await cluster.stop();
    }
  });
});

describe(
  "a guide's etcd: file as written: host, protocol, empty parameters: and users:",
  {
    timeout: 300_000,
  },
  () => {
    it('the first node leads, the second clones and streams', async () => {
      const cluster = await TestCluster.start({
        dcsKind: 'etcd',
        nodes: [{ name: 'pg1' }, { name: 'pg2' }],
        dcsSection: (hostPort) => ({ host: hostPort, protocol: 'http' }),
        dcs: { postgresql: { use_pg_rewind: true, parameters: null } },
        bootstrapExtra: { users: null },
      });
      try {
        const leader = await cluster.waitForHealthy();
        const replica = cluster.nodes.find((n) => n !== leader);
        assert.ok(replica);
        assert.deepEqual(await cluster.streamingFrom(leader), [replica.name]);
        assert.match(await readFile(leader.configPath, 'utf8'), /parameters: null/);
      } finally {
        await cluster.stop();
      }
    });
  },
);
