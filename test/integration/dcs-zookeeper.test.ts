/**
 * The ZooKeeper adapter against a real ZooKeeper 3.8: the nodes Patroni 3.0.2 writes (paths,
 * values, which are ephemeral), a server that stops or hangs, and Exhibitor discovery.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/log/logger.js';
import {
  APPENDIX_A,
  APPENDIX_A_BASE,
  APPENDIX_A_FAILSAFE,
  APPENDIX_A_SYNC,
} from '../../src/dcs/contract/appendix-a.js';
import { createDcs } from '../../src/dcs/index.js';
import { MemoryStore } from '../../src/dcs/memory/index.js';
import type { Dcs } from '../../src/dcs/port.js';
import { createZooKeeperDcs, type ZooKeeperOptions } from '../../src/dcs/zookeeper/index.js';
import type { ZkNode } from '../../src/dcs/zookeeper/zk-node.js';
import {
  adapterDefaults,
  member,
  assertCallsFailWhileDown,
  assertCallsFailWhileHung,
  assertWatchWaitsOut,
  OpenedClients,
  readsAgain,
  shape,
} from '../support/dcs-adapter.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { startZooKeeper, type ZooKeeperHandle } from '../support/zookeeper.js';
import { rawZooKeeper } from '../support/zookeeper-store.js';

let zk: ZooKeeperHandle;
let raw: ZkNode;
const opened = new OpenedClients();

before(async () => {
  zk = await startZooKeeper();
  raw = rawZooKeeper(zk.hostPort);
});

after(async () => {
  await opened.closeAll();
  raw.client.close();
  await zk.destroy();
});

async function client(name: string, extra: Partial<ZooKeeperOptions> = {}): Promise<Dcs> {
  const options = { ...adapterDefaults(name), hosts: [zk.hostPort], ...extra };
  return opened.track(await createZooKeeperDcs(options, silentLogger));
}

/** Every node under the scope: value and ephemeral owner (null: persistent). */
async function rawScope(): Promise<Record<string, { value: string; owner: string | null }>> {
  const out: Record<string, { value: string; owner: string | null }> = {};
  const walk = async (relative: string): Promise<void> => {
    const path = relative === '' ? APPENDIX_A_BASE : `${APPENDIX_A_BASE}/${relative}`;
    const children = (await raw.getChildren(path)) ?? [];
    if (children.length > 0) {
      for (const c of children) await walk(relative === '' ? c : `${relative}/${c}`);
      return;
    }
    const data = await raw.getData(path);
    if (data !== null && relative !== '')
      out[relative] = { value: data.value, owner: data.stat.owner };
  };
  await walk('');
  return out;
}

describe('zookeeper adapter: the nodes Patroni 3.0.2 writes', () => {
  it('a 3-node cluster is written with exactly the paths and values of Appendix A', async () => {
    await raw.removeRecursive(APPENDIX_A_BASE);
    const [n1, n2, n3] = [await client('node1'), await client('node2'), await client('node3')];
    assert.equal(await n2.initialize(true, ''), true);
    assert.equal(await n2.initialize(false, APPENDIX_A['initialize'] ?? ''), true);
    assert.equal(await n2.setConfigValue(APPENDIX_A['config'] ?? ''), true);
    assert.equal(await n2.attemptToAcquireLeader(), true);
    assert.equal(await n1.touchMember(member(1, 'replica')), true);
    assert.equal(await n2.touchMember(member(2, 'primary')), true);
    assert.equal(await n3.touchMember(member(3, 'replica', true)), true);
    assert.equal(await n2.updateLeader(67109312), true);
    assert.equal(await n2.setHistoryValue(APPENDIX_A['history'] ?? ''), true);
    assert.equal(await n2.setFailoverValue({}), true);

    const written = await rawScope();
    const values = Object.fromEntries(Object.entries(written).map(([k, v]) => [k, v.value]));
    assert.deepEqual(values, APPENDIX_A);
    for (const [key, { owner }] of Object.entries(written)) {
      const ephemeral = key === 'leader' || key.startsWith('members/');
      assert.equal(owner !== null, ephemeral, `${key} owner ${owner}`);
    }
    assert.equal(written['leader']?.owner, written['members/node2']?.owner, 'one session per node');
    assert.notEqual(written['members/node1']?.owner, written['members/node2']?.owner);

    await n2.setSyncStateValue({ leader: 'node2', syncStandbys: ['node1'] });
    await n2.updateLeader(67109312, null, {
      node1: 'http://10.0.0.11:8008/patroni',
      node2: 'http://10.0.0.12:8008/patroni',
      node3: 'http://10.0.0.13:8008/patroni',
    });
    const more = await rawScope();
    assert.equal(more['sync']?.value, APPENDIX_A_SYNC);
    assert.equal(more['failsafe']?.value, APPENDIX_A_FAILSAFE);
    assert.equal(await n2.deleteSyncState(), true);
    assert.equal((await rawScope())['sync']?.value, '{}', 'as Patroni: sync emptied, not deleted');
    await n2.close();
    const after = await rawScope();
    assert.equal(after['leader'], undefined, 'closing the session removes the leader node');
    assert.equal(after['members/node2'], undefined);
    assert.ok(after['members/node1'] !== undefined);
  });

  it('a cluster written raw in Patroni format reads into the same snapshot as the memory store', async () => {
    await raw.removeRecursive(APPENDIX_A_BASE);
    const store = new MemoryStore(new ManualClock());
    for (const [key, value] of Object.entries(APPENDIX_A)) {
      const absolute = `${APPENDIX_A_BASE}/${key}`;
      const ephemeral = key === 'leader' || key.startsWith('members/');
      await raw.create(absolute, value, ephemeral);
      store.putRaw(absolute, value);
    }
    const fromZk = await (await client('reader')).getCluster();
    const fromMemory = await store.client({ scope: 'batman', name: 'reader' }).getCluster();
    assert.deepEqual(shape(fromZk), shape(fromMemory));
    assert.equal(fromZk.leader?.name, 'node2');
    assert.notEqual(fromZk.leader.session, null);
    assert.equal(fromZk.leader.member.role, 'primary');
    assert.equal(fromZk.lastLsn, 67109312);
    await store.close();
    await raw.removeRecursive(APPENDIX_A_BASE);
  });

  it('a leader node of mine left on an older session is re-created on the new one', async () => {
    const a = await client('node7', { scope: 'stale' });
    await raw.create('/service/stale/leader', 'node7', true); // the raw client's session
    await a.getCluster();
    assert.equal(await a.updateLeader(null), true);
    const c = await a.getCluster();
    assert.equal(c.leader?.name, 'node7');
    const data = await raw.getData('/service/stale/leader');
    assert.notEqual(data?.stat.owner, String(raw.client.getSessionId().readBigInt64BE(0)));
    await raw.removeRecursive('/service/stale');
  });
});

describe('zookeeper adapter: ZooKeeper down', () => {
  const RETRY_S = 2;
  const LIMIT_MS = RETRY_S * 1000 + 1500;

  it('calls fail within retry_timeout while ZooKeeper hangs (SIGSTOP), never hang', async () => {
    const dcs = await client('node6', { retryTimeout: RETRY_S, ttl: 10, loopWait: 1 });
    await dcs.getCluster();
    zk.pause();
    try {
      await assertCallsFailWhileHung(dcs, 6, LIMIT_MS);
      await assertWatchWaitsOut(dcs, 1, 1500, 3000);
    } finally {
      zk.resume();
    }
    assert.ok((await readsAgain(dcs, 15_000)) !== null, 'reads work again after ZooKeeper resumes');
  });

  it('calls fail with DCS_UNREACHABLE within retry_timeout while ZooKeeper is stopped, then recover', async () => {
    const dcs = await client('node5', { retryTimeout: RETRY_S, ttl: 10, loopWait: 1 });
    assert.equal(await dcs.attemptToAcquireLeader(), true);
    await dcs.getCluster();
    await zk.stop();
    try {
      await assertCallsFailWhileDown(dcs, 5, LIMIT_MS);
    } finally {
      await zk.restart();
    }
    // A JVM restarting on a loaded machine can take well over ten seconds to serve again.
    const back = await readsAgain(dcs, 60_000);
    assert.ok(back !== null, 'reads work again soon after ZooKeeper is back');
    assert.equal(await dcs.updateLeader(2), true, 'the lock is held again after the outage');
  });
});

/** A stand-in for Exhibitor: answers its cluster list with whatever the test sets. */
async function fakeExhibitor(): Promise<{
  port: number;
  answer: { servers: string[]; port: number };
  asked: number;
  server: Server;
}> {
  const state = { port: 0, answer: { servers: [] as string[], port: 0 }, asked: 0 };
  const server = createServer((req, res) => {
    if (req.url !== '/exhibitor/v1/cluster/list') {
      res.writeHead(404).end();
      return;
    }
    state.asked += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(state.answer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  state.port = address.port;
  return Object.assign(state, { server });
}

describe('exhibitor: the ensemble from its cluster list', () => {
  it('connects to the servers Exhibitor names, and follows a change after poll_interval', async () => {
    const exhibitor = await fakeExhibitor();
    const first = await startTcpProxy('127.0.0.1', zk.port);
    const second = await startTcpProxy('127.0.0.1', zk.port);
    const portOf = (hostPort: string): number => Number(hostPort.split(':')[1]);
    exhibitor.answer = { servers: ['127.0.0.1'], port: portOf(first.hostPort) };
    const dcs = await createDcs(
      {
        scope: 'exhibited',
        name: 'node1',
        ttl: 10,
        loop_wait: 1,
        retry_timeout: 3,
        exhibitor: { hosts: ['127.0.0.1'], port: exhibitor.port, poll_interval: 1 },
      },
      silentLogger,
    );
    opened.track(dcs);
    try {
      assert.equal(await dcs.attemptToAcquireLeader(), true);
      assert.equal((await dcs.getCluster()).leader?.name, 'node1');
      const asked = exhibitor.asked;
      exhibitor.answer = { servers: ['127.0.0.1'], port: portOf(second.hostPort) };
      await new Promise((r) => setTimeout(r, 1100));
      await dcs.getCluster();
      assert.ok(exhibitor.asked > asked, 'polled again after poll_interval');
      // The old server goes away: the session moves to the one Exhibitor names now.
      await first.close();
      const deadline = Date.now() + 10_000;
      let leader: string | null = null;
      while (leader === null && Date.now() < deadline) {
        leader = await dcs.getCluster().then(
          (c) => c.leader?.name ?? null,
          () => null,
        );
      }
      assert.equal(leader, 'node1', 'same session, same lock, on the new server');
      assert.equal(await dcs.updateLeader(null), true);
    } finally {
      await dcs.close();
      await second.close();
      exhibitor.server.close();
      await raw.removeRecursive('/service/exhibited');
    }
  });
});
