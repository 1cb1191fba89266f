import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { failoverLimitation, parsePeerStatus } from './peer-status.js';

describe('peer status documents (§6.3)', () => {
  it('a replica: WAL position is max(received, replayed)', () => {
    const s = parsePeerStatus({
      state: 'running',
      role: 'replica',
      xlog: { received_location: 300, replayed_location: 200, paused: false },
      timeline: 2,
    });
    assert.deepEqual(s, {
      isPrimary: false,
      walPosition: 300,
      timeline: 2,
      nofailover: false,
      watchdogFailed: false,
      failoverPriority: 1,
    });
  });

  it('a primary: xlog.location', () => {
    const s = parsePeerStatus({ role: 'master', xlog: { location: 500 }, timeline: 3 });
    assert.ok(s !== null);
    assert.equal(s.isPrimary, true);
    assert.equal(s.walPosition, 500);
  });

  it('postgres down (no xlog) counts as unreachable', () => {
    assert.equal(parsePeerStatus({ state: 'stopped', role: 'replica' }), null);
    assert.equal(parsePeerStatus('nonsense'), null);
    assert.equal(parsePeerStatus(null), null);
    assert.equal(failoverLimitation(null), 'not reachable');
  });

  it('tags: nofailover, failover_priority 0, watchdog_failed', () => {
    const base = { xlog: { replayed_location: 1 } };
    const nf = parsePeerStatus({ ...base, tags: { nofailover: true } });
    assert.equal(failoverLimitation(nf), 'not allowed to promote');
    const p0 = parsePeerStatus({ ...base, tags: { failover_priority: 0 } });
    assert.equal(failoverLimitation(p0), 'not allowed to promote');
    const wd = parsePeerStatus({ ...base, watchdog_failed: true });
    assert.equal(failoverLimitation(wd), 'not watchdog capable');
    const p5 = parsePeerStatus({ ...base, tags: { failover_priority: 5 } });
    assert.equal(p5?.failoverPriority, 5);
    assert.equal(failoverLimitation(p5), null);
  });
});
