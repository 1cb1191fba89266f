import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clusterOf, memberOf } from '../core/health/fixtures.js';
import type { ClusterSnapshot, FailoverRequest } from '../core/model/cluster.js';
import {
  NO_LEADER_WATCH,
  watchLeader,
  type LeaderChange,
  type LeaderWatch,
} from './leader-changes.js';

function led(
  name: string | null,
  failover: Partial<FailoverRequest> | null = null,
): ClusterSnapshot {
  return clusterOf({
    leader: name === null ? null : { name, index: 1, session: '1', member: memberOf(name, 5432) },
    failover:
      failover === null
        ? null
        : { leader: null, candidate: null, scheduledAt: null, index: 9, ...failover },
  });
}

/** Feeds snapshots at the given epoch ms; returns the changes seen, in order. */
function run(steps: readonly [number, ClusterSnapshot][]): LeaderChange[] {
  let watch: LeaderWatch = NO_LEADER_WATCH;
  const out: LeaderChange[] = [];
  for (const [at, cluster] of steps) {
    const r = watchLeader(watch, cluster, at);
    watch = r.watch;
    if (r.change !== null) out.push(r.change);
  }
  return out;
}

describe('watchLeader: leader changes seen in DCS snapshots', () => {
  it('the first leader seen (start-up, bootstrap) is no change', () => {
    assert.deepEqual(
      run([
        [0, led(null)],
        [1000, led('node1')],
        [2000, led('node1')],
      ]),
      [],
    );
  });

  it('a requested change is a switchover, timed from the request', () => {
    const changes = run([
      [0, led('node1')],
      [10_000, led('node1', { leader: 'node1', candidate: 'node2' })],
      [11_000, led(null, { leader: 'node1', candidate: 'node2' })],
      [13_500, led('node2')],
    ]);
    assert.deepEqual(changes, [
      { kind: 'switchover', from: 'node1', to: 'node2', atMs: 13_500, durationMs: 3500 },
    ]);
  });

  it('a scheduled switchover is timed from its scheduled time', () => {
    const at = Date.parse('2030-01-01T00:00:00+00:00');
    const request = { leader: 'node1', scheduledAt: '2030-01-01T00:00:00+00:00' };
    const changes = run([
      [0, led('node1')],
      [at - 60_000, led('node1', request)],
      [at + 2000, led('node2')],
    ]);
    assert.equal(changes[0]?.kind, 'switchover');
    assert.equal(changes[0].durationMs, 2000);
  });

  it('a lost leader is a failover, timed from the first snapshot without it', () => {
    const changes = run([
      [0, led('node1')],
      [30_000, led(null)],
      [40_000, led(null)],
      [41_000, led('node3')],
    ]);
    assert.deepEqual(changes, [
      { kind: 'failover', from: 'node1', to: 'node3', atMs: 41_000, durationMs: 11_000 },
    ]);
  });

  it('a request withdrawn while the leader stays does not make a later loss a switchover', () => {
    const changes = run([
      [0, led('node1')],
      [1000, led('node1', { candidate: 'node2' })],
      [2000, led('node1')],
      [5000, led(null)],
      [6000, led('node2')],
    ]);
    assert.equal(changes[0]?.kind, 'failover');
    assert.equal(changes[0].durationMs, 1000);
  });
});
