import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Decision } from './decision.js';
import type { MemberPublication } from './publication.js';
import { cluster, input, PRIMARY_PG, run, STOPPED_PG, tags, WALL } from './test-builders.js';

function published(d: Decision): MemberPublication {
  const t = d.actions.at(-1);
  assert.ok(t?.type === 'touchMember');
  return t.member;
}

describe('member key publication (§2.3, §5.11)', () => {
  it('a replica: role, state, position, timeline, identity', () => {
    const m = published(run(input()));
    assert.deepEqual(m, {
      connUrl: 'postgres://127.0.0.2:5432/postgres',
      apiUrl: 'http://127.0.0.2:8008/patroni',
      state: 'running',
      role: 'replica',
      version: '3.0.2',
      tags: tags({}),
      xlogLocation: 100,
      timeline: 1,
    });
  });

  it('a new leader whose post-promote checkpoint is pending says so', () => {
    const d = run(
      input({ me: 'node1', pg: { ...PRIMARY_PG, timeline: 2, checkpointTimeline: 1 } }),
    );
    assert.equal(published(d).checkpointAfterPromote, false);
    assert.ok(d.actions.some((a) => a.type === 'checkpoint'));
    const done = run(
      input({
        me: 'node1',
        pg: { ...PRIMARY_PG, timeline: 2, checkpointTimeline: 2 },
        memory: d.memory,
      }),
    );
    assert.equal(published(done).checkpointAfterPromote, undefined);
  });

  it('a checkpoint that never completes is asked for again after ttl', () => {
    const pg = { ...PRIMARY_PG, timeline: 2, checkpointTimeline: 1 };
    const first = run(input({ me: 'node1', pg }));
    const soon = run(input({ me: 'node1', pg, memory: first.memory, now: 1_000_000 + 10_000 }));
    assert.ok(!soon.actions.some((a) => a.type === 'checkpoint'));
    const later = run(input({ me: 'node1', pg, memory: first.memory, now: 1_000_000 + 30_000 }));
    assert.ok(later.actions.some((a) => a.type === 'checkpoint'));
  });

  it('a primary without the leader role shows as promoted', () => {
    const c = cluster({ config: { data: { pause: true }, index: 5 } });
    const m = published(run(input({ cluster: c, pg: PRIMARY_PG })));
    assert.equal(m.role, 'promoted');
    assert.equal(m.pause, true);
  });

  it('no position while stopped; pending restart and scheduled restart are published', () => {
    const sr = { schedule: new Date(WALL + 3_600_000).toISOString() };
    const m = published(
      run(input({ pg: { ...STOPPED_PG, pendingRestart: true }, scheduledRestart: sr })),
    );
    assert.equal(m.xlogLocation, undefined);
    assert.equal(m.timeline, undefined);
    assert.equal(m.pendingRestart, true);
    assert.deepEqual(m.scheduledRestart, sr);
  });
});
