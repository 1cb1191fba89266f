import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { input, kinds, PRIMARY_PG, run } from '../test-builders.js';

describe('DCS unreachable (§5.10)', () => {
  it('replica: nothing to do, no member write', () => {
    const d = run(input({ cluster: null }));
    assert.equal(d.info, 'DCS is not accessible');
    assert.deepEqual(d.actions, []);
    assert.ok(
      d.log.some((l) => l.level === 'error' && l.message === 'Error communicating with DCS'),
    );
  });

  it('primary: demote offline in the async slot', () => {
    const d = run(
      input({
        me: 'node1',
        cluster: null,
        pg: PRIMARY_PG,
        memory: { role: 'primary', leaderUntil: 2_000_000 },
      }),
    );
    assert.equal(d.info, 'demoting self because DCS is not accessible and I was a leader');
    const a = d.actions[0];
    assert.ok(a?.type === 'demote' && a.mode === 'offline' && a.followAfter === null);
    assert.equal(a.task, 'demoting self because DCS is not accessible and I was a leader');
    assert.equal(d.memory.leaderUntil, 0);
    assert.equal(d.memory.role, 'demoted');
  });

  it('primary with the slot busy: demote inline', () => {
    const row = input({
      me: 'node1',
      cluster: null,
      pg: PRIMARY_PG,
      inFlight: { action: 'restart', startedAt: 0, cancellable: false },
    });
    const d = run(row);
    assert.equal(d.info, 'demoted self because DCS is not accessible and I was a leader');
    const a = d.actions[0];
    assert.ok(a?.type === 'demote' && a.task === null);
  });

  it('paused primary keeps running', () => {
    const d = run(
      input({ me: 'node1', cluster: null, pg: PRIMARY_PG, memory: { wasPaused: true } }),
    );
    assert.equal(d.info, 'PAUSE: DCS is not accessible');
    assert.deepEqual(kinds(d), []);
  });
});
