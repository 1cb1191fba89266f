import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatLsn, parseLsn } from './lsn.js';

describe('lsn', () => {
  it('parses the X/Y form into bytes', () => {
    assert.equal(parseLsn('0/3000060'), 0x3000060);
    assert.equal(parseLsn('1/0'), 0x1_0000_0000);
    assert.equal(parseLsn('garbage'), null);
  });
  it('round-trips', () => {
    for (const text of ['0/0', '0/3000060', 'A/FF00', 'FFFFF/FFFFFFFF']) {
      assert.equal(formatLsn(parseLsn(text) ?? -1), text);
    }
  });
});
