import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  cluster,
  input,
  kinds,
  member,
  NOW,
  PRIMARY_PG,
  REPLICA_PG,
  run,
  tags,
} from '../test-builders.js';

describe('following a leader (§5.5)', () => {
  it('healthy replica: no action', () => {
    const d = run(input());
    assert.equal(d.info, 'no action. I am (node2), a secondary, and following a leader (node1)');
    assert.deepEqual(d.rounds, []);
    assert.deepEqual(kinds(d), []);
    assert.ok(d.log.some((l) => l.message === 'Lock owner: node1; I am node2'));
  });

  it('a new leader: re-point primary_conninfo with a reload (PG 13+)', () => {
    const c = cluster({ leaderName: 'node3' });
    const d = run(input({ cluster: c }));
    assert.equal(d.info, 'no action. I am (node2), a secondary, and following a leader (node3)');
    const a = d.actions[0];
    assert.ok(a?.type === 'followLeader' && a.how === 'reload' && a.target?.name === 'node3');
    assert.deepEqual(d.memory.upstream, { connUrl: 'postgres://127.0.0.3:5432/postgres' });
  });

  it("the leader's member node missing for a moment: keeps streaming from the old address", () => {
    // The lock still names node1, whose member node is being re-created (ZooKeeper).
    const stub = { ...member('node1'), connUrl: null, apiUrl: null };
    const c = cluster({
      members: [member('node2'), member('node3')],
      leader: { name: 'node1', index: 7, session: null, member: stub },
    });
    const d = run(input({ cluster: c }));
    assert.equal(d.info, 'no action. I am (node2), a secondary, and following a leader (node1)');
    assert.deepEqual(kinds(d), []);
    assert.deepEqual(d.memory.upstream, { connUrl: 'postgres://127.0.0.1:5432/postgres' });
  });

  it('the WAL receiver waits to retry while the leader runs: wake it, at most once a second', () => {
    const waiting = { walReceiverRunning: false };
    const d = run(input({ pg: waiting }));
    assert.equal(d.info, 'no action. I am (node2), a secondary, and following a leader (node1)');
    const a = d.actions[0];
    assert.ok(a?.type === 'wakeWalReceiver' && a.upstream.name === 'node1');
    assert.equal(a.upstream.connUrl, 'postgres://127.0.0.1:5432/postgres');
    assert.equal(d.memory.walReceiverWokenAt, NOW);
    const soon = run(input({ now: NOW + 999, pg: waiting, memory: { walReceiverWokenAt: NOW } }));
    assert.deepEqual(kinds(soon), []);
    const later = run(input({ now: NOW + 1000, pg: waiting, memory: { walReceiverWokenAt: NOW } }));
    assert.deepEqual(kinds(later), ['wakeWalReceiver']);
  });

  it('no wake while the WAL receiver runs, or the leader does not say it runs', () => {
    assert.deepEqual(kinds(run(input({ pg: { walReceiverRunning: true } }))), []);
    const starting = cluster({
      members: [member('node1', { state: 'starting' }), member('node2'), member('node3')],
    });
    const d = run(input({ cluster: starting, pg: { walReceiverRunning: false } }));
    assert.deepEqual(kinds(d), []);
  });

  it('a new leader on PG 12: restart in the async slot', () => {
    const d = run(
      input({ cluster: cluster({ leaderName: 'node3' }), pg: { serverVersion: 120010 } }),
    );
    const a = d.actions[0];
    assert.ok(a?.type === 'followLeader' && a.how === 'restart');
    assert.equal(a.task, 'changing primary_conninfo and restarting');
  });

  it('replicatefrom: follows the named member', () => {
    const d = run(input({ myTags: tags({ replicatefrom: 'node3' }) }));
    const a = d.actions[0];
    assert.ok(a?.type === 'followLeader' && a.target?.name === 'node3');
  });

  it('a primary without the lock demotes immediate-nolock', () => {
    const d = run(input({ pg: PRIMARY_PG, memory: { role: 'primary' } }));
    assert.equal(d.info, 'demoting self because I do not have the lock and I was a leader');
    const a = d.actions[0];
    assert.ok(a?.type === 'demote' && a.mode === 'immediate-nolock' && a.task === null);
    assert.equal(a.followAfter?.name, 'node1');
  });

  it('paused: a primary without the lock keeps running', () => {
    const c = cluster({ config: { data: { pause: true }, index: 5 } });
    const d = run(input({ cluster: c, pg: PRIMARY_PG }));
    assert.equal(d.info, 'PAUSE: continue to run as primary without lock');
    assert.deepEqual(kinds(d), []);
  });

  it('divergence check pending: asks, then rewinds when needed', () => {
    const row = input({ memory: { rewind: 'check' }, local: { canRewind: true } });
    const d = run(row, { divergence: 'need' });
    assert.deepEqual(d.rounds, ['checkDivergence']);
    assert.equal(d.info, 'running pg_rewind from node1');
    const a = d.actions[0];
    assert.ok(a?.type === 'rewind' && a.task === 'running pg_rewind from node1');
  });

  it('divergence check says fine: follows', () => {
    const row = input({ memory: { rewind: 'check' }, local: { canRewind: true } });
    const d = run(row, { divergence: 'notNeed' });
    assert.equal(d.info, 'no action. I am (node2), a secondary, and following a leader (node1)');
    assert.equal(d.memory.rewind, 'notNeed');
  });

  it('no check while the leader has not published role primary', () => {
    const members = [member('node1', { role: 'replica' }), member('node2')];
    const row = input({
      cluster: cluster({ members }),
      memory: { rewind: 'check' },
      local: { canRewind: true },
    });
    const d = run(row);
    assert.deepEqual(d.rounds, []);
    assert.equal(d.memory.rewind, 'check');
  });

  it('diverged without pg_rewind: re-clone when allowed', () => {
    const row = input({
      memory: { rewind: 'need' },
      settings: { removeDataDirectoryOnDivergedTimelines: true },
    });
    const d = run(row);
    assert.equal(d.info, 'reinitializing due to diverged timelines');
    assert.deepEqual(kinds(d), ['reinitialize']);
  });

  it('PG14+ paused WAL replay is resumed', () => {
    const d = run(input({ pg: { ...REPLICA_PG, replayPaused: true } }));
    assert.deepEqual(kinds(d), ['resumeWalReplay']);
  });
});
