import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clusterTimeline } from '../../src/core/model/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/log/logger.js';
import {
  APPENDIX_A,
  APPENDIX_A_BASE,
  APPENDIX_A_FAILSAFE,
  APPENDIX_A_SYNC,
} from '../../src/dcs/contract/appendix-a.js';
import { Etcd3Backend } from '../../src/dcs/etcd3/backend.js';
import { createEtcd3Dcs, type Etcd3Options } from '../../src/dcs/etcd3/index.js';
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
import { rawEtcd, type RawEtcd } from '../support/etcd-raw.js';
import { freePort } from '../support/ports.js';

let etcd: EtcdHandle;
let raw: RawEtcd;
const opened = new OpenedClients();

before(async () => {
  etcd = await startEtcd({ secondClientPort: true });
  raw = rawEtcd(etcd.endpoint);
});

after(async () => {
  await opened.closeAll();
  await etcd.destroy();
});

async function client(name: string, extra: Partial<Etcd3Options> = {}): Promise<Dcs> {
  const options = { ...adapterDefaults(name), hosts: [etcd.hostPort], protocol: 'http' as const };
  return opened.track(await createEtcd3Dcs({ ...options, ...extra }, silentLogger));
}

async function rawScope(): Promise<Record<string, { value: string; lease: string }>> {
  const prefix = `${APPENDIX_A_BASE}/`;
  const out: Record<string, { value: string; lease: string }> = {};
  for (const kv of await raw.range(prefix)) {
    out[kv.key.slice(prefix.length)] = { value: kv.value, lease: kv.lease };
  }
  return out;
}

describe('etcd3 adapter: wire compatibility with Patroni 3.0.2', () => {
  it('a 3-node cluster is written with exactly the keys and JSON of Appendix A', async () => {
    await raw.deletePrefix(`${APPENDIX_A_BASE}/`);
    const [n1, n2, n3] = [await client('node1'), await client('node2'), await client('node3')];
    // The history as a parsed list here (the other adapters' tests give the text).
    const history = JSON.parse(APPENDIX_A['history'] ?? '') as [
      number,
      number,
      string,
      string,
      string,
    ][];
    await writeAppendixA([n1, n2, n3], history);

    const written = await rawScope();
    const values = Object.fromEntries(Object.entries(written).map(([k, v]) => [k, v.value]));
    assert.deepEqual(values, APPENDIX_A);
    for (const [key, { lease }] of Object.entries(written)) {
      const leased = key === 'leader' || key.startsWith('members/');
      assert.equal(lease !== '0', leased, `${key} lease ${lease}`);
    }
    assert.equal(written['leader']?.lease, written['members/node2']?.lease, 'one lease per node');

    await n2.setSyncStateValue({ leader: 'node2', syncStandbys: ['node1'] });
    await n2.updateLeader(67109312, null, {
      node1: 'http://10.0.0.11:8008/patroni',
      node2: 'http://10.0.0.12:8008/patroni',
      node3: 'http://10.0.0.13:8008/patroni',
    });
    const more = await rawScope();
    assert.equal(more['sync']?.value, APPENDIX_A_SYNC);
    assert.equal(more['failsafe']?.value, APPENDIX_A_FAILSAFE);
  });

  it('a cluster written raw in Patroni format reads into the same snapshot as the memory store', async () => {
    await raw.deletePrefix(`${APPENDIX_A_BASE}/`);
    const lease = await raw.grantLease(30);
    const store = new MemoryStore(new ManualClock());
    for (const [key, value] of Object.entries(APPENDIX_A)) {
      const absolute = `${APPENDIX_A_BASE}/${key}`;
      if (key === 'leader' || key.startsWith('members/')) await raw.put(absolute, value, lease);
      else await raw.put(absolute, value);
      store.putRaw(absolute, value);
    }
    const fromEtcd = await (await client('reader')).getCluster();
    const fromMemory = await store.client({ scope: 'batman', name: 'reader' }).getCluster();
    assert.deepEqual(shape(fromEtcd), shape(fromMemory));
    assert.equal(fromEtcd.leader?.name, 'node2');
    assert.equal(fromEtcd.leader.session, lease);
    assert.equal(fromEtcd.leader.member.role, 'primary');
    assert.deepEqual(
      fromEtcd.members.map((m) => [m.name, m.role, m.tags.nofailover]),
      [
        ['node1', 'replica', false],
        ['node2', 'primary', false],
        ['node3', 'replica', true],
      ],
    );
    assert.equal(fromEtcd.initialize, '7214328734719876543');
    assert.equal(fromEtcd.lastLsn, 67109312);
    assert.equal(clusterTimeline(fromEtcd), 2);
    assert.equal(fromEtcd.config?.data['maximum_lag_on_failover'], 1048576);
    await raw.revokeLease(lease);
    await store.close();
  });
});

describe('etcd3 adapter: endpoints', () => {
  const backendOptions = (extra: Partial<Etcd3Options> = {}): Etcd3Options => ({
    ...adapterDefaults('discover'),
    hosts: [etcd.hostPort],
    protocol: 'http',
    ...extra,
  });

  it("finds the cluster's other client URLs from the one address it was given", async () => {
    const backend = await Etcd3Backend.connect(backendOptions(), silentLogger);
    try {
      await backend.range('/service/batman/');
      await backend.discovering;
      assert.deepEqual(
        [...backend.endpoints].sort(),
        [etcd.endpoint, etcd.secondEndpoint ?? ''].sort(),
      );
    } finally {
      await backend.close();
    }
  });

  it('use_proxies: the configured hosts are all it uses', async () => {
    const backend = await Etcd3Backend.connect(backendOptions({ useProxies: true }), silentLogger);
    try {
      await backend.range('/service/batman/');
      assert.equal(backend.discovering, null);
      assert.deepEqual(backend.endpoints, [etcd.endpoint]);
    } finally {
      await backend.close();
    }
  });

  it('keeps working when one of two endpoints is dead', async () => {
    const dead = await freePort();
    const dcs = await client('node9', {
      hosts: [`127.0.0.1:${dead}`, etcd.hostPort],
      retryTimeout: 3,
    });
    for (let i = 0; i < 20; i++) await dcs.getCluster();
    assert.equal(await dcs.touchMember(member(9, 'replica')), true);
  });
});

describe('etcd3 adapter: etcd down', () => {
  const RETRY_S = 2;
  const LIMIT_MS = RETRY_S * 1000 + 1500;

  it('calls fail with DCS_UNREACHABLE within retry_timeout while etcd is stopped, then recover', async () => {
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
    } finally {
      etcd.resume();
    }
    assert.ok((await readsAgain(dcs, 15_000)) !== null, 'reads work again after etcd resumes');
  });
});

describe('etcd3 adapter: watch edge cases', () => {
  it('a watch from a compacted revision wakes at once (state unknown: re-read)', async () => {
    const dcs = await client('node7', {
      scope: 'compacted',
      ttl: 10,
      loopWait: 1,
      retryTimeout: 3,
    });
    assert.equal(await dcs.attemptToAcquireLeader(), true);
    const old = (await dcs.getCluster()).leader?.index ?? null;
    for (let i = 0; i < 3; i++) await raw.put('/service/compacted/noise', String(i));
    await raw.compact(await raw.put('/service/compacted/noise', 'x'));
    const t0 = performance.now();
    assert.equal(await dcs.watch(old, 10_000), true);
    assert.ok(performance.now() - t0 < 2000);
  });

  it('linearizable reads (patronictl) see the same cluster', async () => {
    const writer = await client('node8', { scope: 'linear' });
    const reader = await client('ctl', { scope: 'linear', linearizableReads: true });
    assert.equal(await writer.attemptToAcquireLeader(), true);
    assert.equal((await reader.getCluster()).leader?.name, 'node8');
  });
});

/** Polls `done` until it holds or `ms` pass. */
async function until(done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

describe('etcd3 backend: a watch across an etcd restart', () => {
  it('resumes after the last revision seen: no event lost, none delivered twice', async () => {
    const backend = await Etcd3Backend.connect(
      {
        hosts: [etcd.hostPort],
        protocol: 'http',
        scope: 'watched',
        name: 'w',
        ttl: 10,
        loopWait: 1,
        retryTimeout: 3,
      },
      silentLogger,
    );
    const prefix = '/service/watched/';
    const seen: string[] = [];
    const controller = new AbortController();
    try {
      const first = await raw.put(`${prefix}a`, '1');
      await backend.watchPrefix(
        prefix,
        first,
        (e) =>
          seen.push(`${e.type} ${e.key.slice(prefix.length)} ${e.value ?? '-'} @${e.revision}`),
        controller.signal,
      );
      await raw.put(`${prefix}b`, '2');
      await until(() => seen.length === 2, 5000);
      await etcd.restart();
      // Written while the watch is still reconnecting.
      await raw.put(`${prefix}c`, '3');
      await raw.deletePrefix(`${prefix}a`);
      await raw.put(`${prefix}d`, '4');
      await until(() => seen.length >= 5, 10_000);
      assert.deepEqual(seen, [
        `put a 1 @${first}`,
        `put b 2 @${first + 1}`,
        `put c 3 @${first + 2}`,
        `delete a - @${first + 3}`,
        `put d 4 @${first + 4}`,
      ]);
    } finally {
      controller.abort();
      await backend.close();
    }
  });
});
