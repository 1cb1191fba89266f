import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StoreAnswers, streamVerdict, type StreamState } from './stream-liveness.js';

const IDLE = 15_000;

function answered(revision: number, at: number): StoreAnswers {
  const answers = new StoreAnswers();
  answers.note({ header: { revision: String(revision) } }, at);
  return answers;
}

function state(over: Partial<StreamState>): StreamState {
  return {
    now: 100_000,
    lastMessageAt: 100_000 - IDLE,
    deliveredUpTo: 40,
    probed: false,
    answers: new StoreAnswers(),
    idleMs: IDLE,
    ...over,
  };
}

describe('StoreAnswers', () => {
  it("notes a unary answer's header and a stream message's result header", () => {
    const answers = new StoreAnswers();
    answers.note({ header: { revision: '41' } }, 5);
    assert.deepEqual([answers.revision, answers.at], [41, 5]);
    answers.note({ result: { header: { revision: '42' }, TTL: '30' } }, 6);
    assert.deepEqual([answers.revision, answers.at], [42, 6]);
  });

  it('ignores an answer without a revision (the version, an auth token)', () => {
    const answers = new StoreAnswers();
    answers.note({ etcdserver: '3.4.23' }, 5);
    answers.note(null, 6);
    assert.deepEqual([answers.revision, answers.at], [0, -Infinity]);
  });
});

describe('streamVerdict: when a silent watch is probed', () => {
  it('a stream that spoke within the period is fine', () => {
    assert.equal(streamVerdict(state({ lastMessageAt: 100_000 - IDLE + 1 })), 'fine');
  });

  it('silent, and the store answered lately at a revision it delivered: fine, no probe', () => {
    assert.equal(streamVerdict(state({ answers: answered(40, 100_000 - 20_000) })), 'fine');
    assert.equal(streamVerdict(state({ answers: answered(39, 100_000 - 1) })), 'fine');
  });

  it('silent, and the store moved past what it delivered: probe, then break', () => {
    const answers = answered(41, 100_000 - 1);
    assert.equal(streamVerdict(state({ answers })), 'probe');
    assert.equal(streamVerdict(state({ answers, probed: true })), 'break');
  });

  it('silent, and nothing answered for two periods (a hung store): probe, then break', () => {
    const answers = answered(40, 100_000 - 2 * IDLE);
    assert.equal(streamVerdict(state({ answers })), 'probe');
    assert.equal(streamVerdict(state({ answers, probed: true })), 'break');
    assert.equal(streamVerdict(state({})), 'probe');
  });

  it('a probe is forgiven once an answer vouches again', () => {
    const answers = answered(40, 100_000 - 1);
    assert.equal(streamVerdict(state({ answers, probed: true })), 'fine');
  });
});
