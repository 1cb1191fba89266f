import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KvEvent } from './backend.js';
import { wakes } from './wake-rule.js';

const put = (key: string, value: string): KvEvent => ({ type: 'put', key, value, revision: 1 });
const del = (key: string): KvEvent => ({ type: 'delete', key, value: null, revision: 1 });

describe('wake rule (Patroni etcd3 KV cache)', () => {
  it('leader: any value change wakes, a rewrite does not', () => {
    const v = new Map([['leader', 'a']]);
    assert.equal(wakes(put('x', 'a'), 'leader', v, 'me'), false);
    assert.equal(wakes(put('x', 'b'), 'leader', v, 'me'), true);
    assert.equal(wakes(del('x'), 'leader', v, 'me'), true);
    assert.equal(wakes(put('x', 'c'), 'leader', v, 'me'), true, 'created');
  });

  it('status and optime wake replicas only, on new non-null values', () => {
    const v = new Map([
      ['leader', 'a'],
      ['status', '{"optime":1}'],
    ]);
    assert.equal(wakes(put('x', '{"optime":1}'), 'status', v, 'me'), false);
    assert.equal(wakes(put('x', '{"optime":2}'), 'status', v, 'me'), true);
    assert.equal(wakes(put('x', '{"optime":3}'), 'status', v, 'a'), false, 'the leader itself');
    assert.equal(wakes(del('x'), 'status', v, 'me'), false);
    assert.equal(wakes(put('x', '5'), 'optime/leader', v, 'me'), true);
  });

  it('config wakes only when it changes from one value to another', () => {
    const v = new Map<string, string>();
    assert.equal(wakes(put('x', '{}'), 'config', v, 'me'), false, 'created');
    assert.equal(wakes(put('x', '{"ttl":1}'), 'config', v, 'me'), true);
    assert.equal(wakes(del('x'), 'config', v, 'me'), false);
  });

  it('other keys never wake; a lost watch always does', () => {
    const v = new Map<string, string>();
    assert.equal(wakes(put('x', '{}'), 'members/a', v, 'me'), false);
    assert.equal(wakes(put('x', '{}'), 'failover', v, 'me'), false);
    assert.equal(wakes({ type: 'lost', key: '', value: null, revision: 0 }, '', v, 'me'), true);
  });
});
