/**
 * The chaos topology with our daemon, real components: three etcd members, three nodes in
 * network namespaces, HAProxy. Each network control must really partition (or slow) what it
 * says, and a few nemeses must leave a cluster that heals to healthy on its own.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { statfs } from 'node:fs/promises';
import { get } from 'node:http';
import pg from 'pg';
import { startTopology, type ChaosTopology } from '../../chaos/topology/index.js';
import { NEMESES } from '../../chaos/nemesis/index.js';
import { netnsUnavailable, nsExec } from '../support/netns.js';
import { waitFor } from '../support/postgres.js';

const skip = (await netnsUnavailable()) ?? false;

/** Whether a TCP connection from inside `ns` to host:port opens within 2 s. */
async function reachesFrom(ns: string, host: string, port: number): Promise<boolean> {
  try {
    await nsExec(ns, 'timeout', ['2', 'bash', '-c', `exec 3<>/dev/tcp/${host}/${port}`]);
    return true;
  } catch {
    return false;
  }
}

async function sqlOk(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Milliseconds of one GET /version through a node's etcd proxy (a new connection each time). */
async function etcdRoundTrip(host: string, port: number): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const req = get({ host, port, path: '/version', agent: false, timeout: 10_000 }, (res) => {
      res.resume();
      res.once('end', resolve);
    });
    req.once('error', reject);
    req.once('timeout', () => req.destroy(new Error('etcd round trip timed out')));
  });
  return performance.now() - started;
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

describe('chaos topology (patroni-ts)', { skip, timeout: 900_000 }, () => {
  let t: ChaosTopology | null = null;
  const rng = seeded(16);

  before(async () => {
    t = await startTopology({
      system: 'patroni-ts',
      mode: 'async',
      ttl: 20,
      loopWait: 2,
      retryTimeout: 5,
      walTmpfsMb: 128,
    });
  });
  after(async () => {
    await t?.destroy();
  });

  function topo(): ChaosTopology {
    assert.ok(t !== null);
    return t;
  }

  async function replicaName(): Promise<string> {
    const leader = await topo().leader();
    const r = topo().nodes.find((n) => n.name !== leader);
    assert.ok(r !== undefined);
    return r.name;
  }

  it('forms: one leader in the DCS, two replicas streaming, writes through HAProxy', async () => {
    const top = topo();
    assert.equal(await top.healthy(), true);
    const leader = await top.leader();
    const views = await top.status();
    assert.equal(views.get(leader ?? '')?.role, 'master');
    assert.equal(await sqlOk(top.primaryUrl), true);
  });

  it('isolateFromDcs: the node reaches no etcd, but HAProxy still reaches its PostgreSQL', async () => {
    const top = topo();
    const name = await replicaName();
    const node = top.node(name);
    const proxy = top.dcsProxy(name);
    const [etcdHost, etcdPort] = (top.etcdHostPorts[0] ?? '').split(':');
    assert.equal(await reachesFrom(node.ns, proxy.host, proxy.ports[0] ?? 0), true);
    await top.net.isolateFromDcs(name);
    assert.equal(await reachesFrom(node.ns, proxy.host, proxy.ports[0] ?? 0), false);
    assert.equal(await reachesFrom(node.ns, etcdHost ?? '', Number(etcdPort)), false);
    // HAProxy and clients sit in the root namespace, on the same bridge address as etcd.
    assert.equal(await sqlOk(node.pgUrl), true);
    assert.equal((await top.status()).get(name)?.state, 'running');
    await top.net.heal(name);
    assert.equal(await reachesFrom(node.ns, proxy.host, proxy.ports[0] ?? 0), true);
  });

  it('isolate: nobody reaches the node and it reaches nobody, until heal', async () => {
    const top = topo();
    const name = await replicaName();
    const node = top.node(name);
    const other = top.nodes.find((n) => n.name !== name);
    assert.ok(other !== undefined);
    await top.net.isolate(name);
    assert.equal(await sqlOk(node.pgUrl), false);
    assert.equal(await reachesFrom(node.ns, other.address, other.pgPort), false);
    assert.equal(await reachesFrom(node.ns, node.address, node.pgPort), true, 'loopback stays');
    await top.net.heal(name);
    assert.equal(await sqlOk(node.pgUrl), true);
    await top.waitHealthy(60_000);
  });

  it('dcsLatency: a round trip to etcd through the proxy takes the delay both ways', async () => {
    const top = topo();
    const name = top.nodes[0]?.name ?? '';
    const proxy = top.dcsProxy(name);
    const port = proxy.ports[0] ?? 0;
    const before = await etcdRoundTrip(proxy.host, port);
    await top.net.dcsLatency(name, 300, 50);
    const slow = await etcdRoundTrip(proxy.host, port);
    await top.net.heal(name);
    const healed = await etcdRoundTrip(proxy.host, port);
    assert.ok(slow >= 500, `delayed round trip ${slow} ms`);
    assert.ok(before < 200 && healed < 200, `undelayed round trips ${before} and ${healed} ms`);
  });

  it('a stalled proxy holds a request until cleared', async () => {
    const top = topo();
    const proxy = top.dcsProxy(top.nodes[0]?.name ?? '');
    proxy.stall();
    const pending = etcdRoundTrip(proxy.host, proxy.ports[1] ?? 0);
    await new Promise((r) => setTimeout(r, 1500));
    proxy.clear();
    assert.ok((await pending) >= 1400);
  });

  it('nemesis isolate-replica heals to healthy', async () => {
    const top = topo();
    const leader = await top.leader();
    const fault = await NEMESES['isolate-replica']?.inject(top, rng);
    assert.ok(fault !== undefined);
    assert.notEqual(fault.targets[0], leader);
    await waitFor(
      'the isolated replica missing from the leader',
      async () => !(await top.healthy()),
    );
    await fault.heal();
    await top.waitHealthy(90_000);
    assert.equal(await top.leader(), leader, 'no failover for a replica');
  });

  it('nemesis kill-etcd-leader: the cluster keeps its leader, etcd heals', async () => {
    const top = topo();
    const leader = await top.leader();
    const fault = await NEMESES['kill-etcd-leader']?.inject(top, rng);
    assert.ok(fault !== undefined);
    assert.equal(top.etcd.filter((m) => m.pid() === null).length, 1);
    await new Promise((r) => setTimeout(r, 5000));
    await fault.heal();
    assert.equal(top.etcd.filter((m) => m.pid() === null).length, 0);
    await top.waitHealthy(60_000);
    assert.equal(await top.leader(), leader);
  });

  it("nemesis wal-disk-full fills the leader's WAL tmpfs, heal empties it", async () => {
    const top = topo();
    const fault = await NEMESES['wal-disk-full']?.inject(top, rng);
    assert.ok(fault !== undefined);
    const dir = top.node(fault.targets[0] ?? '').walDir ?? '';
    const full = await statfs(dir);
    assert.ok(full.bavail * full.bsize < 1 << 20, `${full.bavail} blocks free`);
    await fault.heal();
    const empty = await statfs(dir);
    assert.ok(empty.bavail * empty.bsize > 32 << 20);
    await top.waitHealthy(120_000);
  });

  it('nemesis kill-leader-node: another node leads, the old one rejoins after heal', async () => {
    const top = topo();
    const old = await top.leader();
    const fault = await NEMESES['kill-leader-node']?.inject(top, rng);
    assert.ok(fault !== undefined);
    assert.equal(top.node(old ?? '').daemonPid(), null);
    const next = await waitFor(
      'a new leader',
      async () => {
        const l = await top.leader();
        return l !== null && l !== old ? l : undefined;
      },
      90_000,
    );
    await fault.heal();
    await top.waitHealthy(120_000);
    assert.equal(await top.leader(), next);
  });

  it('nemesis switchover moves the leader to the candidate', async () => {
    const top = topo();
    const old = await top.leader();
    const fault = await NEMESES['switchover']?.inject(top, rng);
    assert.ok(fault !== undefined);
    const candidate = fault.targets[1];
    await waitFor('the candidate leading', async () => (await top.leader()) === candidate, 60_000);
    assert.notEqual(candidate, old);
    await top.waitHealthy(60_000);
  });
});
