import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Action } from '../core/ha/decision.js';
import { decisionKind } from './decision-kind.js';

const act = (type: string, extra: object = {}): Action => ({ type, ...extra }) as unknown as Action;

describe('decisionKind: the label a decision is counted under', () => {
  it('a cycle that only keeps things as they are is no_action', () => {
    assert.equal(decisionKind({ actions: [] }), 'no_action');
    assert.equal(
      decisionKind({ actions: [act('touchMember'), act('watchdogKeepalive')] }),
      'no_action',
    );
  });

  it('the main action wins over the bookkeeping around it, in snake_case', () => {
    assert.equal(
      decisionKind({ actions: [act('writeHistory'), act('promote'), act('touchMember')] }),
      'promote',
    );
    assert.equal(decisionKind({ actions: [act('demote'), act('releaseLeaderLock')] }), 'demote');
    assert.equal(
      decisionKind({ actions: [act('followLeader'), act('touchMember')] }),
      'follow_leader',
    );
  });

  it('any other action names itself', () => {
    assert.equal(decisionKind({ actions: [act('writeHistory')] }), 'write_history');
  });
});
