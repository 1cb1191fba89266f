/**
 * What the DCS adapter tests (etcd v2, etcd v3, ZooKeeper, against real servers) share: the
 * members they write, Appendix A written through three clients, snapshots compared without
 * store-specific ids, and the checks of a server that is stopped or hangs.
 */
import assert from 'node:assert/strict';
import { NO_TAGS, type ClusterSnapshot } from '../../src/core/model/index.js';
import { isPatroniError } from '../../src/shared/errors.js';
import { APPENDIX_A } from '../../src/dcs/contract/appendix-a.js';
import type { ClientTiming } from '../../src/dcs/contract/harness.js';
import type { Dcs, MemberData } from '../../src/dcs/port.js';

/** Member `n` as Appendix A's nodes write it (node2 the primary, node3 nofailover). */
export const member = (n: number, role: MemberData['role'], nofailover = false): MemberData => ({
  connUrl: `postgres://10.0.0.1${n}:5432/postgres`,
  apiUrl: `http://10.0.0.1${n}:8008/patroni`,
  state: 'running',
  role,
  version: '3.0.2',
  ...(nofailover ? { tags: { ...NO_TAGS, nofailover: true } } : {}),
  xlogLocation: 67109312,
  timeline: 2,
});

/** A snapshot without revisions and lease/session ids, which differ between stores. */
export function shape(c: ClusterSnapshot): unknown {
  return JSON.parse(
    JSON.stringify(c, (key, value: unknown) =>
      key === 'index' || key === 'session' ? undefined : value,
    ),
  );
}

/**
 * The cluster of Appendix A written by three clients as Patroni's nodes write it, node2 leading;
 * every write must succeed. `history` as the history key is given (text, or the parsed list).
 */
export async function writeAppendixA(
  [n1, n2, n3]: readonly [Dcs, Dcs, Dcs],
  history: Parameters<Dcs['setHistoryValue']>[0] = APPENDIX_A['history'] ?? '',
): Promise<void> {
  assert.equal(await n2.initialize(true, ''), true);
  assert.equal(await n2.initialize(false, APPENDIX_A['initialize'] ?? ''), true);
  assert.equal(await n2.setConfigValue(APPENDIX_A['config'] ?? ''), true);
  assert.equal(await n2.attemptToAcquireLeader(), true);
  assert.equal(await n1.touchMember(member(1, 'replica')), true);
  assert.equal(await n2.touchMember(member(2, 'primary')), true);
  assert.equal(await n3.touchMember(member(3, 'replica', true)), true);
  assert.equal(await n2.updateLeader(67109312), true);
  assert.equal(await n2.setHistoryValue(history), true);
  assert.equal(await n2.setFailoverValue({}), true);
}

/** Runs `call`, which must fail with a recoverable DCS_UNREACHABLE, and returns how long it took. */
export async function timeToFail(call: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await assert.rejects(call, (e: unknown) => isPatroniError(e, 'DCS_UNREACHABLE') && e.recoverable);
  return performance.now() - t0;
}

/** With the server stopped: each call of member `n`'s HA cycle fails within `limitMs`. */
export async function assertCallsFailWhileDown(
  dcs: Dcs,
  n: number,
  limitMs: number,
): Promise<void> {
  const calls: [string, () => Promise<unknown>][] = [
    ['getCluster', () => dcs.getCluster()],
    ['attemptToAcquireLeader', () => dcs.attemptToAcquireLeader()],
    ['updateLeader', () => dcs.updateLeader(1)],
    ['touchMember', () => dcs.touchMember({ ...member(n, 'primary'), state: 'stopped' })],
    ['setFailoverValue', () => dcs.setFailoverValue({}, 1)],
  ];
  for (const [name, call] of calls) {
    const ms = await timeToFail(call);
    assert.ok(ms < limitMs, `${name} took ${ms.toFixed(0)} ms`);
  }
}

/** With the server hung (SIGSTOP): reads and writes of member `n` fail within `limitMs`. */
export async function assertCallsFailWhileHung(
  dcs: Dcs,
  n: number,
  limitMs: number,
): Promise<void> {
  assert.ok((await timeToFail(() => dcs.getCluster())) < limitMs);
  assert.ok((await timeToFail(() => dcs.touchMember(member(n, 'replica')))) < limitMs);
  assert.ok((await timeToFail(() => dcs.setConfigValue({ ttl: 30 }))) < limitMs);
}

/** A watch while the server is away waits out its time and never throws. */
export async function assertWatchWaitsOut(
  dcs: Dcs,
  index: number | null,
  waitMs: number,
  limitMs: number,
): Promise<void> {
  const t0 = performance.now();
  assert.equal(await dcs.watch(index, waitMs), false, 'a watch waits out its time, never throws');
  assert.ok(performance.now() - t0 < limitMs);
}

/** The cluster as soon as `dcs` reads again, or null when it does not within `timeoutMs`. */
export async function readsAgain(dcs: Dcs, timeoutMs: number): Promise<ClusterSnapshot | null> {
  const deadline = Date.now() + timeoutMs;
  let cluster: ClusterSnapshot | null = null;
  while (cluster === null && Date.now() < deadline) {
    cluster = await dcs.getCluster().catch(() => null);
  }
  return cluster;
}

/** The clients a test file opens, closed together in its after(). */
export class OpenedClients {
  private readonly opened: Dcs[] = [];

  track<D extends Dcs>(dcs: D): D {
    this.opened.push(dcs);
    return dcs;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.opened.map((d) => d.close()));
  }
}

/** The options every adapter test client starts from: scope batman, Patroni's default timing. */
export function adapterDefaults(name: string) {
  return {
    scope: 'batman',
    namespace: '/service/',
    name,
    ttl: 30,
    loopWait: 10,
    retryTimeout: 10,
  } as const;
}

/** A contract-suite client's options: its scope and name, the suite's timing over Patroni's. */
export function contractClientOptions(scope: string, name: string, timing: ClientTiming = {}) {
  return {
    scope,
    name,
    ttl: timing.ttl ?? 30,
    loopWait: timing.loopWait ?? 10,
    retryTimeout: timing.retryTimeout ?? 10,
  };
}
