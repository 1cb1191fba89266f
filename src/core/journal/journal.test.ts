import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { reason } from '../ha/reason.js';
import type { JournalEvent } from './entry.js';
import { Journal } from './journal.js';
import { inputs, record } from './test-records.js';

const T0 = Date.parse('2026-12-05T22:00:00Z');

describe('Journal: a bounded ring of decisions, changes only', () => {
  it('identical consecutive decisions are one entry with a count and a time range', () => {
    const j = new Journal();
    for (let i = 0; i < 100; i++) {
      // Positions move every cycle; they do not make a new entry.
      j.record(record(undefined, { inputs: inputs({ lsn: 100 + i }) }), T0 + i * 10_000);
    }
    const [only, ...rest] = j.entries();
    assert.equal(rest.length, 0);
    assert.equal(only?.count, 100);
    assert.equal(only.first, '2026-12-05T22:00:00.000Z');
    assert.equal(only.last, new Date(T0 + 99 * 10_000).toISOString());
    assert.equal(only.seq, 1);
    assert.equal(only.lastSeq, 100);
    assert.equal(only.kind, 'healthyReplica');
    assert.equal(only.inputs.lsn, 199, 'the latest positions are kept');
  });

  it('a change of decision or of what decided it starts a new entry', () => {
    const j = new Journal();
    j.record(record(), T0);
    j.record(record(undefined, { inputs: inputs({ lockOwner: 'node3' }) }), T0 + 1);
    j.record(record(reason('promotedAcquired')), T0 + 2);
    j.record(record(), T0 + 3);
    assert.deepEqual(
      j.entries().map((e) => [e.kind, e.inputs.lockOwner, e.count]),
      [
        ['healthyReplica', 'node1', 1],
        ['healthyReplica', 'node3', 1],
        ['promotedAcquired', 'node1', 1],
        ['healthyReplica', 'node1', 1],
      ],
    );
  });

  it('keeps at most `capacity` entries, dropping the oldest', () => {
    const j = new Journal(3);
    for (let i = 0; i < 5; i++) {
      j.record(record(reason('stillStarting', { seconds: i })), T0 + i);
    }
    assert.deepEqual(
      j.entries().map((e) => e.seq),
      [3, 4, 5],
    );
    assert.throws(() => new Journal(0), /capacity must be a positive integer/);
  });

  it('since a sequence number: entries added or repeated after it', () => {
    const j = new Journal();
    j.record(record(reason('acquiredLock')), T0);
    j.record(record(), T0 + 1);
    const seq = j.seq;
    assert.deepEqual(j.entries({ seq }), []);
    j.record(record(), T0 + 2);
    const changed = j.entries({ seq });
    assert.deepEqual(
      changed.map((e) => [e.seq, e.count]),
      [[2, 2]],
    );
    assert.equal(j.entries({ seq: 0 }).length, 2);
  });

  it('since a time: entries whose last cycle is at or after it', () => {
    const j = new Journal();
    j.record(record(reason('acquiredLock')), T0);
    j.record(record(), T0 + 60_000);
    assert.deepEqual(
      j.entries({ time: T0 + 30_000 }).map((e) => e.kind),
      ['healthyReplica'],
    );
    assert.equal(j.entries({ time: T0 }).length, 2);
  });

  it('subscribers hear added and repeated entries until they unsubscribe; a throwing one is dropped', () => {
    const j = new Journal();
    const heard: string[] = [];
    const off = j.subscribe((e: JournalEvent) => heard.push(`${e.type}:${e.entry.count}`));
    let calls = 0;
    j.subscribe(() => {
      calls++;
      throw new Error('closed stream');
    });
    j.record(record(), T0);
    j.record(record(), T0 + 1);
    off();
    j.record(record(), T0 + 2);
    assert.deepEqual(heard, ['added:1', 'repeated:2']);
    assert.equal(calls, 1);
  });
});
