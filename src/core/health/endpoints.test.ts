import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { healthCheck, liveness, readiness } from './endpoints.js';
import { clusterOf, primaryView, replicaView } from './fixtures.js';
import type { NodeView } from './node-view.js';
import { parseQuery } from './query.js';
import { EMPTY_SYNC } from '../model/cluster.js';
import { UNKNOWN_PG_STATE } from '../model/local-pg.js';

function code(view: NodeView, target: string, method: 'GET' | 'HEAD' | 'OPTIONS' = 'GET'): number {
  const [path = '', search = ''] = target.split('?');
  return healthCheck(method, path, parseQuery(search), view).status;
}

// surface.md §2.3, observed on Patroni 3.0.2, 3-node async cluster: [path, leader, replica].
const ASYNC_TABLE: readonly [string, number, number][] = [
  ['/', 200, 503],
  ['/primary', 200, 503],
  ['/master', 200, 503],
  ['/leader', 200, 503],
  ['/read-write', 200, 503],
  ['/standby-leader', 503, 503],
  ['/standby_leader', 503, 503],
  ['/replica', 503, 200],
  ['/replica?lag=1MB', 503, 200],
  ['/replica?tag_foo=bar', 503, 503],
  ['/read-only', 200, 200],
  ['/sync', 503, 503],
  ['/synchronous', 503, 503],
  ['/async', 503, 200],
  ['/asynchronous', 503, 200],
  ['/read-only-sync', 200, 503],
  ['/health', 200, 200],
  ['/quorum', 503, 503],
  ['/read-only-quorum', 200, 200],
  ['/nonexistent', 503, 503],
  ['/liveness', 503, 503],
  ['/readiness', 503, 503],
];

describe('health checks, async cluster (observed 3.0.2 table)', () => {
  for (const [path, leader, replica] of ASYNC_TABLE) {
    it(`${path} -> leader ${leader}, replica ${replica}`, () => {
      assert.equal(code(primaryView(), path), leader);
      assert.equal(code(replicaView(), path), replica);
    });
  }
  it('HEAD and OPTIONS give the same codes with no body', () => {
    for (const [path, leader, replica] of ASYNC_TABLE) {
      for (const method of ['HEAD', 'OPTIONS'] as const) {
        assert.equal(code(primaryView(), path, method), leader, `${method} ${path}`);
        assert.equal(code(replicaView(), path, method), replica, `${method} ${path}`);
      }
    }
    assert.equal(healthCheck('HEAD', '/primary', {}, primaryView()).body, null);
    assert.equal(healthCheck('GET', '/primary', {}, primaryView()).body?.['role'], 'master');
  });
  it('unknown GET paths still carry the status document', () => {
    const answer = healthCheck('GET', '/nonexistent', {}, replicaView());
    assert.equal(answer.status, 503);
    assert.equal(answer.body?.['role'], 'replica');
  });
});

describe('health checks, synchronous mode (node2 is the sync standby)', () => {
  const cluster = clusterOf({ sync: { ...EMPTY_SYNC, leader: 'node1', syncStandbys: ['node2'] } });
  const sync = replicaView({ cluster, synchronousMode: true });
  const other = replicaView({ name: 'node3', cluster, synchronousMode: true });
  const leader = primaryView({ cluster, synchronousMode: true });
  const rows: readonly [string, NodeView, number][] = [
    ['/sync', sync, 200],
    ['/synchronous', sync, 200],
    ['/async', sync, 503],
    ['/read-only-sync', sync, 200],
    ['/read-only-synchronous', sync, 200],
    ['/sync', other, 503],
    ['/async', other, 200],
    ['/read-only-sync', other, 503],
    ['/read-only-sync', leader, 200],
    ['/sync', leader, 503],
  ];
  for (const [path, view, expected] of rows) {
    it(`${view.name} ${path} -> ${expected}`, () => {
      assert.equal(code(view, path), expected);
    });
  }
  it('sync_standby appears in the document of the sync replica only', () => {
    assert.equal(healthCheck('GET', '/sync', {}, sync).body?.['sync_standby'], true);
    assert.equal(healthCheck('GET', '/sync', {}, other).body?.['sync_standby'], undefined);
  });
});

describe('health checks, lag and tags', () => {
  const lagging = replicaView({
    pg: { ...replicaView().pg, replayLsn: 67111792 - 20 * 1024 * 1024 },
  });
  it('lag is compared with the leader optime and accepts units', () => {
    assert.equal(code(lagging, '/replica'), 200);
    assert.equal(code(lagging, '/replica?lag=1MB'), 503);
    assert.equal(code(lagging, '/replica?lag=1048576'), 503);
    assert.equal(code(lagging, '/replica?lag=21MB'), 200);
    assert.equal(code(lagging, '/replica?lag=1GB'), 200);
    assert.equal(code(lagging, '/replica?lag=garbage'), 200, 'unparsable lag is infinite');
    assert.equal(code(lagging, '/replica?lag=1mb'), 200, 'units are case-sensitive');
    assert.equal(code(lagging, '/read-only?lag=1MB'), 503);
    assert.equal(code(lagging, '/async?lag=1MB'), 503);
  });
  it('tag filters match configured tags, non-strings lower-cased', () => {
    const tagged = replicaView({ tags: { dc: 'east', nofailover: true, weight: 3 } });
    assert.equal(code(tagged, '/replica?tag_dc=east'), 200);
    assert.equal(code(tagged, '/replica?tag_dc=west'), 503);
    assert.equal(code(tagged, '/replica?tag_nofailover=true'), 200);
    assert.equal(code(tagged, '/replica?tag_nofailover=True'), 503);
    assert.equal(code(tagged, '/replica?tag_weight=3'), 200);
    assert.equal(code(tagged, '/health?tag_dc=west'), 503);
    assert.equal(code(tagged, '/replica?tag_dc=east&tag_zone=a'), 503);
  });
  it('tags are ignored by leader paths', () => {
    assert.equal(code(primaryView(), '/primary?tag_dc=nowhere'), 200);
    assert.equal(code(primaryView(), '/leader?tag_dc=nowhere'), 200);
  });
  it('noloadbalance takes a replica out of /replica', () => {
    assert.equal(code(replicaView({ tags: { noloadbalance: true } }), '/replica'), 503);
  });
});

describe('health checks, special states', () => {
  it('no cluster view while paused: codes from the local role', () => {
    const p = primaryView({ cluster: null, paused: true, isLeader: false });
    assert.equal(code(p, '/primary'), 200);
    assert.equal(code(p, '/leader'), 200);
    assert.equal(code(replicaView({ cluster: null, paused: true }), '/primary'), 503);
  });
  it('no cluster view, not paused: leader paths fail unless the lock is held', () => {
    assert.equal(code(primaryView({ cluster: null, isLeader: false }), '/primary'), 503);
    assert.equal(code(replicaView({ cluster: null }), '/async'), 503);
    assert.equal(code(replicaView({ cluster: null }), '/replica'), 200);
  });
  it('standby cluster leader answers standby-leader, not primary', () => {
    const v = replicaView({ isLeader: true, standbyCluster: true, role: 'standby_leader' });
    assert.equal(code(v, '/standby-leader'), 200);
    assert.equal(code(v, '/leader'), 200);
    assert.equal(code(v, '/primary'), 503);
    assert.equal(code(v, '/replica'), 503);
    assert.equal(code(v, '/read-only'), 200);
  });
  it('stopped postgres is not healthy', () => {
    const v = replicaView({ pg: { ...UNKNOWN_PG_STATE, dataDirEmpty: false } });
    assert.equal(code(v, '/health'), 503);
    assert.equal(code(v, '/replica'), 503);
    assert.equal(healthCheck('GET', '/health', {}, v).body?.['state'], 'stopped');
  });
});

describe('liveness and readiness', () => {
  const now = 2_000_000_000_000;
  it('liveness: a primary gets ttl, others 2*ttl past the next scheduled run', () => {
    assert.equal(liveness(primaryView({ nextRunAt: now - 29_000 }), now), 200);
    assert.equal(liveness(primaryView({ nextRunAt: now - 31_000 }), now), 503);
    assert.equal(liveness(replicaView({ nextRunAt: now - 59_000 }), now), 200);
    assert.equal(liveness(replicaView({ nextRunAt: now - 61_000 }), now), 503);
    assert.equal(liveness(replicaView({ nextRunAt: 0, paused: true }), now), 200);
  });
  it('readiness: leader, or running with a cluster view', () => {
    assert.equal(readiness(primaryView({ cluster: null })), 200);
    assert.equal(readiness(replicaView()), 200);
    assert.equal(readiness(replicaView({ cluster: null })), 503);
    assert.equal(readiness(replicaView({ pg: UNKNOWN_PG_STATE })), 503);
  });
});
