import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/shared/clock.js';
import { isPatroniError } from '../../src/shared/errors.js';
import { silentLogger } from '../../src/shared/log/logger.js';
import { APPENDIX_A, APPENDIX_A_BASE } from '../../src/dcs/contract/appendix-a.js';
import { createEtcd2Dcs } from '../../src/dcs/etcd2/index.js';
import { Etcd2Store } from '../../src/dcs/etcd2/store.js';
import type { Etcd3Options } from '../../src/dcs/etcd3/options.js';
import { MemoryStore } from '../../src/dcs/memory/index.js';
import type { Dcs } from '../../src/dcs/port.js';
import {
  adapterDefaults,
  assertCallsFailWhileDown,
  assertCallsFailWhileHung,
  assertWatchWaitsOut,
  member,
  OpenedClients,
  readsAgain,
  shape,
  writeAppendixA,
} from '../support/dcs-adapter.js';
import { startEtcd, type EtcdHandle } from '../support/etcd.js';
import { rawEtcd } from '../support/etcd-raw.js';
import { rawEtcdV2, type RawEtcdV2 } from '../support/etcd-raw-v2.js';
import { freePort } from '../support/ports.js';
import { etcdV2Requests } from '../../bench/harness/dcs-counts.js';

let etcd: EtcdHandle;
let raw: RawEtcdV2;
const opened = new OpenedClients();

before(async () => {
  etcd = await startEtcd({ enableV2: true, secondClientPort: true });
  raw = rawEtcdV2(etcd.endpoint);
});

after(async () => {
  await opened.closeAll();
  await etcd.destroy();
});

function options(name: string, extra: Partial<Etcd3Options> = {}): Etcd3Options {
  return { ...adapterDefaults(name), hosts: [etcd.hostPort], protocol: 'http', ...extra };
}

async function client(name: string, extra: Partial<Etcd3Options> = {}): Promise<Dcs> {
  return opened.track(await createEtcd2Dcs(options(name, extra), silentLogger));
}

describe('etcd2 adapter: wire compatibility with Patroni 3.0.2', () => {
  it('writes the keys and JSON of Appendix A; leader and members carry the ttl, nothing else does', async () => {
    await raw.deleteDir(APPENDIX_A_BASE);
    await writeAppendixA([await client('node1'), await client('node2'), await client('node3')]);
    for (const [key, value] of Object.entries(APPENDIX_A)) {
      const node = await raw.node(`${APPENDIX_A_BASE}/${key}`);
      assert.equal(node?.value, value, key);
      const ttl = key === 'leader' || key.startsWith('members/');
      assert.equal(node.ttl !== undefined, ttl, `${key} ttl ${String(node.ttl)}`);
      if (ttl) assert.ok((node.ttl ?? 0) > 25 && (node.ttl ?? 0) <= 30, `${key} ttl`);
    }
  });

  it('a cluster written raw as Patroni does reads into the same snapshot as the memory store', async () => {
    await raw.deleteDir(APPENDIX_A_BASE);
    const store = new MemoryStore(new ManualClock());
    for (const [key, value] of Object.entries(APPENDIX_A)) {
      const ttl = key === 'leader' || key.startsWith('members/') ? 30 : undefined;
      await raw.put(`${APPENDIX_A_BASE}/${key}`, value, ttl);
      store.putRaw(`${APPENDIX_A_BASE}/${key}`, value);
    }
    const fromEtcd = await (await client('reader')).getCluster();
    const fromMemory = await store.client({ scope: 'batman', name: 'reader' }).getCluster();
    assert.deepEqual(shape(fromEtcd), shape(fromMemory));
    assert.equal(fromEtcd.leader?.name, 'node2');
    assert.equal(fromEtcd.leader.member.role, 'primary');
    await store.close();
  });

  it('a leader kept by a Patroni node (prevValue rewrite) is neither taken nor refreshed by another', async () => {
    await raw.deleteDir(APPENDIX_A_BASE);
    await raw.put(`${APPENDIX_A_BASE}/leader`, 'node2', 30);
    const n1 = await client('node1');
    assert.equal(await n1.attemptToAcquireLeader(), false);
    assert.equal(await n1.updateLeader(1), false);
    assert.equal(await n1.deleteLeader(), false);
    assert.equal(await raw.get(`${APPENDIX_A_BASE}/leader`), 'node2');
  });
});

describe('etcd2 adapter: the wait', () => {
  /** Long polls (`wait=true`) etcd has received, from its own /metrics. */
  async function watchRequests(): Promise<number> {
    const text = await (await fetch(`${etcd.endpoint}/metrics`)).text();
    return etcdV2Requests(text).get('WATCH') ?? 0;
  }

  it("the leader naps without a long poll (as Patroni's v2 client); a follower polls", async () => {
    await raw.deleteDir(APPENDIX_A_BASE);
    const [leader, follower] = [await client('node1'), await client('node2')];
    assert.equal(await leader.attemptToAcquireLeader(), true);
    await leader.getCluster();
    const index = (await follower.getCluster()).leader?.index ?? null;
    assert.ok(index !== null, 'the follower sees the leader key');

    const before = await watchRequests();
    assert.equal(await leader.watch(null, 1200), false, 'nothing wakes an idle leader');
    assert.equal(await watchRequests(), before, 'the leader sent no long poll');

    const polled = follower.watch(index, 20_000);
    assert.equal(await leader.deleteLeader(), true);
    assert.equal(await polled, true, 'the follower is woken by the leader key going');
    assert.ok((await watchRequests()) > before, 'the follower long-polled');
  });

  it('a local wakeup (a REST command) still ends the leader nap at once', async () => {
    const leader = await client('node3');
    await leader.getCluster();
    const t0 = performance.now();
    const waiting = leader.watch(null, 20_000);
    leader.wakeup();
    assert.equal(await waiting, true);
    assert.ok(performance.now() - t0 < 1000);
  });
});

/** A TCP port that counts the connections made to it and closes each at once. */
async function countingPort(): Promise<{ port: number; count: () => number; server: Server }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, count: () => connections, server };
}

describe('etcd2 adapter: endpoints', () => {
  it("finds the cluster's other client URLs from the one address it was given", async () => {
    const store = await Etcd2Store.connect(options('discover'), silentLogger);
    try {
      await store.read('/service/batman');
      await store.discovering;
      assert.deepEqual(
        [...store.endpoints].sort(),
        [etcd.endpoint, etcd.secondEndpoint ?? ''].sort(),
      );
    } finally {
      store.close();
    }
  });

  it('use_proxies: the configured hosts are all it uses', async () => {
    const store = await Etcd2Store.connect(options('proxied', { useProxies: true }), silentLogger);
    try {
      await store.read('/service/batman');
      assert.equal(store.discovering, null);
      assert.deepEqual(store.endpoints, [etcd.endpoint]);
    } finally {
      store.close();
    }
  });

  it('one dead endpoint of two costs one connection, not one per call', async () => {
    const dead = await countingPort();
    try {
      const dcs = await client('node9', {
        hosts: [`127.0.0.1:${dead.port}`, etcd.hostPort],
        retryTimeout: 3,
      });
      for (let i = 0; i < 20; i++) await dcs.getCluster();
      assert.equal(await dcs.touchMember(member(9, 'replica')), true);
      assert.ok(dead.count() <= 1, `${dead.count()} connections to the dead endpoint`);
    } finally {
      dead.server.close();
    }
  });
});

describe('etcd2 adapter: etcd down', () => {
  const RETRY_S = 2;
  const LIMIT_MS = RETRY_S * 1000 + 1500;

  it('calls fail with DCS_UNREACHABLE within retry_timeout while etcd is stopped, then recover', async () => {
    await raw.deleteDir(APPENDIX_A_BASE);
    const dcs = await client('node5', { retryTimeout: RETRY_S, ttl: 10, loopWait: 1 });
    assert.equal(await dcs.attemptToAcquireLeader(), true);
    await dcs.getCluster();
    await etcd.stop();
    try {
      await assertCallsFailWhileDown(dcs, 5, LIMIT_MS);
      await assertWatchWaitsOut(dcs, 1, 1500, 3000);
    } finally {
      await etcd.restart();
    }
    assert.ok((await readsAgain(dcs, 15_000)) !== null, 'reads work again soon after etcd is back');
    assert.equal(await dcs.updateLeader(2), true, 'the lock survived a short outage');
  });

  it('calls fail within retry_timeout while etcd hangs (SIGSTOP), never hang', async () => {
    const dcs = await client('node6', { retryTimeout: RETRY_S, ttl: 10, loopWait: 1 });
    await dcs.getCluster();
    etcd.pause();
    try {
      await assertCallsFailWhileHung(dcs, 6, LIMIT_MS);
      await assertWatchWaitsOut(dcs, null, 1000, 2500);
    } finally {
      etcd.resume();
    }
    assert.ok((await readsAgain(dcs, 15_000)) !== null, 'reads work again after etcd resumes');
  });
});

describe('etcd2 adapter: an etcd without the v2 API', () => {
  it('every call fails at once with one error naming --enable-v2 and etcd3:, and nothing is written to v3', async () => {
    const v3only = await startEtcd();
    const dcs = await createEtcd2Dcs(
      { ...options('node1'), hosts: [v3only.hostPort], retryTimeout: 5 },
      silentLogger,
    );
    try {
      for (const call of [
        () => dcs.getCluster(),
        () => dcs.attemptToAcquireLeader(),
        () => dcs.touchMember(member(1, 'replica')),
        () => dcs.getCluster(),
      ]) {
        const t0 = performance.now();
        await assert.rejects(call, (e: unknown) => {
          assert.ok(isPatroniError(e, 'DCS_UNREACHABLE') && e.recoverable);
          assert.match(e.message, /does not serve the v2 API/);
          assert.match(e.message, /--enable-v2/);
          assert.match(e.message, /etcd3:/);
          return true;
        });
        assert.ok(performance.now() - t0 < 1000, 'no retries: waiting cannot help');
      }
      assert.deepEqual(await rawEtcd(v3only.endpoint).range('/service/'), []);
    } finally {
      await dcs.close();
      await v3only.destroy();
    }
  });
});

describe('etcd2 adapter: username and password', () => {
  it('sends them as basic auth, as Patroni does; without them etcd refuses', async () => {
    const secured = await startEtcd({ enableV2: true });
    const v2 = (path: string, method: string, body: object): Promise<Response> =>
      fetch(`${secured.endpoint}/v2/auth${path}`, {
        method,
        body: JSON.stringify(body),
        headers: { 'Content-Type': 'application/json' },
      });
    const withAuth = await createEtcd2Dcs(
      { ...options('node1'), hosts: [secured.hostPort], username: 'root', password: 'r00t' },
      silentLogger,
    );
    const without = await createEtcd2Dcs(
      { ...options('node2'), hosts: [secured.hostPort], retryTimeout: 2 },
      silentLogger,
    );
    try {
      assert.ok((await v2('/users/root', 'PUT', { user: 'root', password: 'r00t' })).ok);
      assert.ok((await v2('/enable', 'PUT', {})).ok);
      const guest = await fetch(`${secured.endpoint}/v2/auth/roles/guest`, {
        method: 'PUT',
        body: JSON.stringify({ role: 'guest', revoke: { kv: { read: ['/*'], write: ['/*'] } } }),
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Basic ${Buffer.from('root:r00t').toString('base64')}`,
        },
      });
      assert.ok(guest.ok, `revoke guest: ${guest.status}`);
      assert.equal(await withAuth.attemptToAcquireLeader(), true);
      assert.equal((await withAuth.getCluster()).leader?.name, 'node1');
      await assert.rejects(
        () => without.getCluster(),
        (e: unknown) => isPatroniError(e, 'DCS_UNREACHABLE'),
      );
    } finally {
      await withAuth.close();
      await without.close();
      await secured.destroy();
    }
  });
});
