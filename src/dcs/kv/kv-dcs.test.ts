import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../shared/clock.js';
import { isPatroniError } from '../../shared/errors.js';
import { MemoryLogger } from '../../shared/log/logger.js';
import { MemoryStore } from '../memory/memory-store.js';
import type { MemberData } from '../port.js';

const BASE = '/service/batman';
const ME: MemberData = {
  connUrl: 'postgres://127.0.0.1:5432/postgres',
  apiUrl: 'http://127.0.0.1:8008/patroni',
  state: 'running',
  role: 'primary',
  version: '3.0.2',
};

function setup(): { clock: ManualClock; store: MemoryStore } {
  const clock = new ManualClock();
  return { clock, store: new MemoryStore(clock) };
}

describe('KvDcs over the memory store', () => {
  it('renews its one lease on an ordinary write once loop_wait has passed', async () => {
    const { clock, store } = setup();
    const a = store.client({ scope: 'batman', name: 'a', ttl: 30, loopWait: 10 });
    await a.touchMember(ME);
    const lease = a.leaseId;
    assert.notEqual(lease, null);
    // 25 s later the lease is 5 s from expiry; an unforced touch within loop_wait of the last
    // keep-alive would not renew it, but the last one was 25 s ago, so this one does.
    clock.advance(25_000);
    await a.touchMember({ ...ME, state: 'stopping' });
    clock.advance(25_000);
    assert.equal(store.get(`${BASE}/members/a`)?.value.includes('stopping'), true, 'renewed');
    assert.equal(a.leaseId, lease, 'same lease all along');
  });

  it('grants a new lease when the old one expired, and re-creates its keys on it', async () => {
    const { clock, store } = setup();
    const a = store.client({ scope: 'batman', name: 'a', ttl: 3, loopWait: 1 });
    assert.equal(await a.attemptToAcquireLeader(), true);
    const first = a.leaseId;
    clock.advance(4000);
    assert.equal(store.get(`${BASE}/leader`), null, 'expired with its lease');
    assert.equal(await a.touchMember(ME), true);
    assert.notEqual(a.leaseId, first);
    assert.equal(store.get(`${BASE}/members/a`)?.lease, a.leaseId);
  });

  it('writes the legacy optime/leader key only while a member runs Patroni < 2.1.0', async () => {
    const { store } = setup();
    const a = store.client({ scope: 'batman', name: 'a' });
    store.putRaw(`${BASE}/members/old`, '{"version":"2.0.2"}');
    await a.getCluster();
    await a.writeStatus({ optime: 10 });
    assert.equal(store.get(`${BASE}/optime/leader`)?.value, '10');
    store.deleteRaw(`${BASE}/members/old`);
    store.deleteRaw(`${BASE}/optime/leader`);
    await a.getCluster();
    await a.writeStatus({ optime: 11 });
    assert.equal(store.get(`${BASE}/optime/leader`), null);
    assert.equal(store.get(`${BASE}/status`)?.value, '{"optime":11}');
  });

  it('writes failsafe only when it changed since last written or read', async () => {
    const { store } = setup();
    const a = store.client({ scope: 'batman', name: 'a' });
    assert.equal(await a.writeFailsafe({ a: 'http://a/patroni' }), true);
    const rev = store.get(`${BASE}/failsafe`)?.modRevision;
    assert.equal(await a.writeFailsafe({ a: 'http://a/patroni' }), true);
    assert.equal(store.get(`${BASE}/failsafe`)?.modRevision, rev, 'unchanged: not rewritten');
    store.putRaw(`${BASE}/failsafe`, '{}');
    await a.getCluster();
    await a.writeFailsafe({ a: 'http://a/patroni' });
    assert.equal(store.get(`${BASE}/failsafe`)?.value, '{"a":"http://a/patroni"}');
    store.deleteRaw(`${BASE}/failsafe`);
    await a.getCluster();
    await a.writeFailsafe({ a: 'http://a/patroni' });
    assert.equal(
      store.get(`${BASE}/failsafe`)?.value,
      '{"a":"http://a/patroni"}',
      'rewritten once gone',
    );
  });

  it('a node cut off from the store gets DCS_UNREACHABLE, others go on; watches just time out', async () => {
    const { clock, store } = setup();
    const [a, b] = [
      store.client({ scope: 'batman', name: 'a' }),
      store.client({ scope: 'batman', name: 'b' }),
    ];
    assert.equal(await a.attemptToAcquireLeader(), true);
    const index = (await b.getCluster()).leader?.index ?? null;
    store.setReachable('b', false);
    await assert.rejects(
      b.getCluster(),
      (e: unknown) => isPatroniError(e, 'DCS_UNREACHABLE') && e.recoverable,
    );
    await assert.rejects(b.attemptToAcquireLeader(), (e: unknown) =>
      isPatroniError(e, 'DCS_UNREACHABLE'),
    );
    const watching = b.watch(index, 5000);
    assert.equal(await a.deleteLeader(), true, 'a still reaches the store');
    clock.advance(5000);
    assert.equal(await watching, false, 'a cut-off node hears nothing');
    store.setReachable('b', true);
    assert.equal(await b.attemptToAcquireLeader(), true);
  });

  it('a new ttl takes a new lease and ends the next watch at once; close ends watches', async () => {
    const { store } = setup();
    const a = store.client({ scope: 'batman', name: 'a', ttl: 30 });
    await a.touchMember(ME);
    const first = a.leaseId;
    a.setTiming({ ttl: 20, loopWait: 5, retryTimeout: 5 });
    assert.equal(await a.watch(null, 60_000), true);
    await a.touchMember({ ...ME, state: 'stopped' });
    assert.notEqual(a.leaseId, first);
    const pending = a.watch(null, 60_000);
    await a.close();
    assert.equal(await pending, false);
  });

  it('cachedCluster is the last read while younger than ttl', async () => {
    const { clock, store } = setup();
    const log = new MemoryLogger();
    const a = store.client({ scope: 'batman', name: 'a', ttl: 30, logger: log });
    assert.equal(a.cachedCluster(), null);
    await a.getCluster();
    assert.notEqual(a.cachedCluster(), null);
    clock.advance(31_000);
    assert.equal(a.cachedCluster(), null);
    const b = store.client({ scope: 'batman', name: 'b', logger: log });
    await b.attemptToAcquireLeader();
    assert.equal(await a.attemptToAcquireLeader(), false);
  });
});
