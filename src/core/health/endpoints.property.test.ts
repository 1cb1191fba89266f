import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { healthCheck } from './endpoints.js';
import { clusterOf, primaryView, replicaView } from './fixtures.js';
import type { NodeView } from './node-view.js';
import { parseQuery } from './query.js';
import { EMPTY_SYNC } from '../model/cluster.js';

const PATHS = [
  '/',
  '/primary',
  '/master',
  '/leader',
  '/read-write',
  '/standby-leader',
  '/replica',
  '/read-only',
  '/sync',
  '/async',
  '/read-only-sync',
  '/health',
  '/x-replica-y',
  '/nonexistent',
];

const viewArb: fc.Arbitrary<NodeView> = fc
  .record({
    primary: fc.boolean(),
    isLeader: fc.boolean(),
    hasCluster: fc.boolean(),
    paused: fc.boolean(),
    standbyCluster: fc.boolean(),
    synchronousMode: fc.boolean(),
    listedSync: fc.boolean(),
    noloadbalance: fc.boolean(),
    lagBytes: fc.nat({ max: 64 * 1024 * 1024 }),
    running: fc.boolean(),
  })
  .map((r) => {
    const base = r.primary ? primaryView() : replicaView();
    const cluster = clusterOf({
      sync: { ...EMPTY_SYNC, syncStandbys: r.listedSync ? [base.name] : [] },
    });
    return {
      ...base,
      isLeader: r.isLeader,
      cluster: r.hasCluster ? cluster : null,
      paused: r.paused,
      standbyCluster: r.standbyCluster,
      synchronousMode: r.synchronousMode,
      tags: r.noloadbalance ? { noloadbalance: true, dc: 'east' } : { dc: 'east' },
      pg: {
        ...base.pg,
        state: r.running ? 'running' : 'stopped',
        accepting: r.running,
        replayLsn: base.pg.replayLsn === null ? null : Math.max(0, 67111792 - r.lagBytes),
      },
    };
  });

const pathArb = fc.constantFrom(...PATHS);
const queryArb = fc.constantFrom(
  '',
  'lag=1MB',
  'lag=100GB',
  'tag_dc=east',
  'tag_dc=west',
  'lag=x&tag_dc=east',
);

describe('health check invariants', () => {
  it('HEAD and OPTIONS give the GET status, without a body', () => {
    fc.assert(
      fc.property(viewArb, pathArb, queryArb, (view, path, q) => {
        const get = healthCheck('GET', path, parseQuery(q), view);
        for (const m of ['HEAD', 'OPTIONS'] as const) {
          const other = healthCheck(m, path, parseQuery(q), view);
          assert.equal(other.status, get.status);
          assert.equal(other.body, null);
        }
        assert.notEqual(get.body, null);
      }),
    );
  });
  it('leader paths answer 200 only for the lock holder (or a paused node with no DCS view)', () => {
    fc.assert(
      fc.property(
        viewArb,
        fc.constantFrom('/', '/primary', '/leader', '/read-write'),
        (view, path) => {
          if (healthCheck('GET', path, {}, view).status === 200) {
            assert.ok(view.isLeader || (view.cluster === null && view.paused));
          }
        },
      ),
    );
  });
  it('a tag filter or a lag limit can only turn 200 into 503, never the reverse', () => {
    fc.assert(
      fc.property(viewArb, pathArb, queryArb, (view, path, q) => {
        if (healthCheck('GET', path, {}, view).status === 503) {
          assert.equal(healthCheck('GET', path, parseQuery(q), view).status, 503);
        }
      }),
    );
  });
  it('/replica is 200 only for a running, balanced replica', () => {
    fc.assert(
      fc.property(viewArb, (view) => {
        if (healthCheck('GET', '/replica', {}, view).status === 200) {
          assert.equal(view.pg.inRecovery, true);
          assert.equal(view.pg.state, 'running');
          assert.notEqual(view.tags['noloadbalance'], true);
        }
      }),
    );
  });
});
