import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterSnapshot } from '../../core/model/index.js';
import { reason } from '../../core/ha/reason.js';
import { Journal } from '../../core/journal/journal.js';
import { inputs, record } from '../../core/journal/test-records.js';
import type { WhatIfAnswer } from '../../core/journal/what-if.js';
import { fakeWorld } from '../testing/fakes.js';
import { loadScenarios } from '../testing/scenarios.js';
import { journalCommand, whyCommand, type JournalOptions } from './journal.js';

const basic = (): ClusterSnapshot => {
  const s = loadScenarios().find((x) => x.name === 'basic')?.snapshot;
  assert.ok(s);
  return s;
};

const T0 = Date.parse('2026-12-05T22:00:00Z');

/** node2's journal around a failover: following node1, then taking over once node1 died. */
function failoverJournal(): Journal {
  const j = new Journal();
  j.record(record(), T0);
  j.record(record(), T0 + 10_000);
  j.record(
    record(reason('promotedAcquired'), {
      inputs: inputs({ lockOwner: null, previousLockOwner: 'node1', lagBytes: 0 }),
      race: {
        raced: true,
        refusal: null,
        peers: [
          { name: 'node1', wal: null, timeline: null, verdict: { kind: 'unreachable' } },
          {
            name: 'node3',
            wal: 90,
            timeline: 1,
            verdict: { kind: 'walBehind', wal: 90, myWal: 100 },
          },
        ],
      },
    }),
    T0 + 30_000,
  );
  return j;
}

const reply = (j: Journal, since: number | null = null) => ({
  status: 200,
  body: JSON.stringify({
    member: 'node2',
    seq: j.seq,
    entries: j.entries(since === null ? null : { seq: since }),
  }),
});

const opts = (over: Partial<JournalOptions> = {}): JournalOptions => ({
  clusterName: 'batman',
  member: 'node2',
  since: null,
  follow: false,
  fmt: 'pretty',
  intervalSeconds: 2,
  ...over,
});

describe('patronictl journal', () => {
  it('prints the member journal as a table: decisions, inputs, and the race', async () => {
    const w = fakeWorld([basic()], { rest: { 'node2 GET journal': reply(failoverJournal()) } });
    await journalCommand(w.ctx, opts());
    const out = w.io.stdout;
    assert.match(out, /^\+ Journal: node2 -+\+/);
    assert.match(out, /\|\s+1 \| 2026-12-05 22:00:00\s+\|\s+2 \| healthyReplica/);
    assert.match(out, /no action\. I am \(node2\), a secondary, and following a leader \(node1\)/);
    assert.match(out, /\|\s+3 \| 2026-12-05 22:00:30\s+\|\s+1 \| promotedAcquired/);
    assert.match(out, /lock: none \(was node1\)/);
    assert.match(out, /raced for the lock/);
    assert.match(out, /node1 is not reachable/);
    assert.match(out, /Wal position of node3 \(90\) is behind my wal position \(100\)/);
    assert.deepEqual(
      w.rest.calls.map((c) => [c.member, c.endpoint]),
      [['node2', 'journal']],
    );
  });

  it('defaults to the leader and passes --since on', async () => {
    const w = fakeWorld([basic()], { rest: { 'node1 GET journal?since=2': reply(new Journal()) } });
    await journalCommand(w.ctx, opts({ member: null, since: '2' }));
    assert.deepEqual(
      w.rest.calls.map((c) => [c.member, c.endpoint]),
      [['node1', 'journal?since=2']],
    );
  });

  it('--follow prints new entries as lines, and a repeat only once', async () => {
    const j = failoverJournal();
    const before = reply(j);
    j.record(record(reason('healthyLeader', { me: 'node2' })), T0 + 40_000);
    const after = reply(j, 3);
    j.record(record(reason('healthyLeader', { me: 'node2' })), T0 + 50_000);
    const repeated = reply(j, 4);
    const w = fakeWorld([basic()], {
      rest: {
        'node2 GET journal': before,
        'node2 GET journal?since=3': after,
        'node2 GET journal?since=4': repeated,
      },
    });
    await journalCommand(w.ctx, opts({ follow: true, maxPolls: 2 }));
    const lines = w.io.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    assert.match(
      lines[1] ?? '',
      /^2026-12-05 22:00:30 #3 promotedAcquired: promoted self to leader by acquiring session lock \[lock: none \(was node1\).*\] \{raced for the lock; node1 is not reachable; /,
    );
    assert.match(
      lines[2] ?? '',
      /^2026-12-05 22:00:40 #4 healthyLeader: no action\. I am \(node2\), the leader with the lock/,
    );
    assert.equal(w.clock.slept, 4000);
  });

  it('a member that is not in the cluster is an error', async () => {
    const w = fakeWorld([basic()]);
    await assert.rejects(
      journalCommand(w.ctx, opts({ member: 'nobody' })),
      /nobody is not a member of cluster/,
    );
  });
});

function answer(member: string, over: Partial<WhatIfAnswer>): WhatIfAnswer {
  return {
    member,
    leader: 'node1',
    wouldRace: false,
    reason: reason('followingNotHealthiest'),
    sentence: 'following a different leader because i am not the healthiest node',
    race: null,
    lsn: 100,
    timeline: 2,
    skipped: null,
    ...over,
  };
}

describe('patronictl why', () => {
  it('asks every member but the leader and names who would take over', async () => {
    const node2 = answer('node2', {
      wouldRace: true,
      reason: reason('promotedAcquired'),
      sentence: 'promoted self to leader by acquiring session lock',
      lsn: 200,
      race: {
        raced: true,
        refusal: null,
        peers: [{ name: 'node1', wal: null, timeline: null, verdict: { kind: 'unreachable' } }],
      },
    });
    const node3 = answer('node3', {
      race: {
        raced: false,
        refusal: {
          kind: 'outranked',
          by: 'node2',
          verdict: { kind: 'walAhead', wal: 200, myWal: 100 },
        },
        peers: [],
      },
    });
    const w = fakeWorld([basic()], {
      rest: {
        'node2 GET why': { status: 200, body: JSON.stringify(node2) },
        'node3 GET why': { status: 200, body: JSON.stringify(node3) },
      },
    });
    await whyCommand(w.ctx, 'batman', 'pretty');
    const out = w.io.stdout;
    assert.equal(
      out,
      [
        '+ Cluster: batman ----+-----+-------------------------------------------------------------------+-----------------------------------------------------------------+',
        '| Member | Would race | WAL | Would decide                                                      | Why                                                             |',
        '+--------+------------+-----+-------------------------------------------------------------------+-----------------------------------------------------------------+',
        '| node2  | yes        | 200 | promoted self to leader by acquiring session lock                 | raced for the lock                                              |',
        '|        |            |     |                                                                   | node1 is not reachable                                          |',
        '+--------+------------+-----+-------------------------------------------------------------------+-----------------------------------------------------------------+',
        '| node3  | no         | 100 | following a different leader because i am not the healthiest node | did not race: Wal position of node2 is ahead of my wal position |',
        '+--------+------------+-----+-------------------------------------------------------------------+-----------------------------------------------------------------+',
        'If the leader node1 died now, node2 would take over.',
        '',
      ].join('\n'),
    );
    assert.match(out, /If the leader node1 died now, node2 would take over\.\n$/);
    assert.ok(!w.rest.calls.some((c) => c.member === 'node1'), 'the leader is not asked');
  });

  it('nobody would take over: says so, and lists members that did not answer', async () => {
    const w = fakeWorld([basic()], {
      rest: { 'node2 GET why': { status: 200, body: JSON.stringify(answer('node2', {})) } },
    });
    await whyCommand(w.ctx, 'batman', 'pretty');
    assert.match(w.io.stdout, /\| node3\s+\| \?\s+\|\s+\| did not answer/);
    assert.match(w.io.stdout, /If the leader node1 died now, nobody would take over\.\n$/);
  });
});
