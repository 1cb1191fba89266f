import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { wakes } from './wake-rule.js';

const change = (key: string, before: string | null, after: string | null) => ({
  key,
  before,
  after,
});

describe('wake rule (Patroni etcd3 KV cache)', () => {
  it('leader: any value change wakes, a rewrite does not', () => {
    assert.equal(wakes(change('leader', 'a', 'a'), 'a', 'me'), false);
    assert.equal(wakes(change('leader', 'a', 'b'), 'b', 'me'), true);
    assert.equal(wakes(change('leader', 'b', null), null, 'me'), true);
    assert.equal(wakes(change('leader', null, 'c'), 'c', 'me'), true, 'created');
  });

  it('status and optime wake replicas only, on new non-null values', () => {
    const s = (n: number): string => `{"optime":${String(n)}}`;
    assert.equal(wakes(change('status', s(1), s(1)), 'a', 'me'), false);
    assert.equal(wakes(change('status', s(1), s(2)), 'a', 'me'), true);
    assert.equal(wakes(change('status', s(2), s(3)), 'a', 'a'), false, 'the leader itself');
    assert.equal(wakes(change('status', s(3), null), 'a', 'me'), false);
    assert.equal(wakes(change('optime/leader', null, '5'), 'a', 'me'), true);
  });

  it('config wakes only when it changes from one value to another', () => {
    assert.equal(wakes(change('config', null, '{}'), null, 'me'), false, 'created');
    assert.equal(wakes(change('config', '{}', '{"ttl":1}'), null, 'me'), true);
    assert.equal(wakes(change('config', '{"ttl":1}', null), null, 'me'), false);
  });

  it('a member newly tagged nosync wakes the leader only', () => {
    const tagged = '{"state":"running","tags":{"nosync":true}}';
    const plain = '{"state":"running","tags":{}}';
    assert.equal(wakes(change('members/b', plain, tagged), 'me', 'me'), true);
    assert.equal(wakes(change('members/b', null, tagged), 'me', 'me'), true, 'a new member');
    assert.equal(wakes(change('members/b', plain, tagged), 'a', 'me'), false, 'not the leader');
    assert.equal(wakes(change('members/b', tagged, tagged), 'me', 'me'), false, 'a rewrite');
    const moved = '{"state":"running","xlog_location":5,"tags":{"nosync":true}}';
    assert.equal(wakes(change('members/b', tagged, moved), 'me', 'me'), false, 'still tagged');
    assert.equal(wakes(change('members/b', tagged, plain), 'me', 'me'), false, 'tag removed');
    const text = '{"state":"running","tags":{"dc":"nosync"}}';
    assert.equal(wakes(change('members/b', plain, text), 'me', 'me'), false, 'only in a value');
  });

  it('other keys never wake', () => {
    assert.equal(wakes(change('members/a', null, '{}'), null, 'me'), false);
    assert.equal(wakes(change('failover', null, '{}'), null, 'me'), false);
  });
});
