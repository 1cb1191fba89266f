import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { reason } from '../core/ha/reason.js';
import { decisionKind } from './decision-kind.js';

describe('decisionKind: the label a decision is counted under', () => {
  it("is the typed reason's kind, as the journal shows it", () => {
    assert.equal(decisionKind({ reason: reason('acquiredLock') }), 'acquiredLock');
    assert.equal(decisionKind({ reason: reason('promotedAcquired') }), 'promotedAcquired');
  });
});
