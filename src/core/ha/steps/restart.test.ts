import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { input, kinds, run, WALL } from '../test-builders.js';
import { reinitializeRefusal, versionNumber } from './restart.js';
import { cluster } from '../test-builders.js';

const soon = new Date(WALL + 1000).toISOString();

describe('scheduled restart (§16.2)', () => {
  it('due: restart initiated, schedule dropped', () => {
    const d = run(input({ scheduledRestart: { schedule: soon } }));
    assert.equal(d.info, 'restart initiated');
    assert.deepEqual(kinds(d), ['clearScheduledRestart', 'restartPostgres']);
    assert.equal(d.memory.recovering, true);
  });

  it('not yet due: nothing', () => {
    const later = new Date(WALL + 3_600_000).toISOString();
    const d = run(input({ scheduledRestart: { schedule: later } }));
    assert.equal(d.info, 'no action. I am (node2), a secondary, and following a leader (node1)');
    assert.deepEqual(kinds(d), []);
  });

  it('role filter mismatch: warning, schedule dropped', () => {
    const d = run(input({ scheduledRestart: { schedule: soon, role: 'primary' } }));
    assert.deepEqual(kinds(d), ['clearScheduledRestart']);
    assert.ok(
      d.log.some((l) => l.message === 'not proceeding with the restart: host role mismatch'),
    );
  });

  it('postgres already restarted since scheduling: cancelled', () => {
    const d = run(
      input({
        scheduledRestart: { schedule: soon, postmasterStartTime: 'earlier' },
        pg: { postmasterStartTime: 'now' },
      }),
    );
    assert.deepEqual(kinds(d), ['clearScheduledRestart']);
  });

  it('parses versions like server_version_num', () => {
    assert.equal(versionNumber('15.2'), 150002);
    assert.equal(versionNumber('9.6.3'), 90603);
    assert.equal(versionNumber('x'), null);
  });

  it('reinitialize is refused without a leader and on the leader', () => {
    assert.equal(
      reinitializeRefusal(cluster({ leaderName: null }), 'node2'),
      'Cluster has no leader, can not reinitialize',
    );
    assert.equal(reinitializeRefusal(cluster(), 'node1'), 'I am the leader, can not reinitialize');
    assert.equal(reinitializeRefusal(cluster(), 'node2'), null);
  });
});
