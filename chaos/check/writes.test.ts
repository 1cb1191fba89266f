import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { HistoryEvent } from '../types.js';
import { checkWrites } from './writes.js';

const ack = (id: number, at = id): HistoryEvent => ({ at, kind: 'ack', id, writer: 0 });
const err = (id: number): HistoryEvent => ({ at: id, kind: 'write-error', id, error: 'timeout' });

describe('checkWrites', () => {
  it('finds nothing wrong when every acknowledged id is there', () => {
    const v = checkWrites([ack(1), ack(2), ack(3)], [1, 2, 3]);
    assert.deepEqual(v, { acked: 3, uncertain: 0, lost: [], phantom: [] });
  });

  it('reports acknowledged ids missing from the final leader as lost', () => {
    const v = checkWrites([ack(1), ack(2), ack(3), ack(4)], [1, 4]);
    assert.deepEqual(v.lost, [2, 3]);
  });

  it('accepts a row whose write failed, present or not (its outcome was unknown)', () => {
    const v = checkWrites([ack(1), err(2), err(3)], [1, 2]);
    assert.deepEqual(v.lost, []);
    assert.deepEqual(v.phantom, []);
    assert.equal(v.uncertain, 2);
  });

  it('reports a row no writer ever sent as a phantom', () => {
    const v = checkWrites([ack(1), err(2)], [1, 2, 7]);
    assert.deepEqual(v.phantom, [7]);
  });
});
