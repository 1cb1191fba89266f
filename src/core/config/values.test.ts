import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBool, parseIntValue, parseNumber } from './values.js';

describe('parseBool (Patroni parse_bool)', () => {
  const rows: [unknown, boolean | undefined][] = [
    [true, true],
    [false, false],
    ['on', true],
    ['YES', true],
    ['True', true],
    ['1', true],
    [1, true],
    ['off', false],
    ['no', false],
    ['FALSE', false],
    ['0', false],
    [0, false],
    ['maybe', undefined],
    ['', undefined],
    [null, undefined],
    [2, undefined],
  ];
  for (const [input, expected] of rows) {
    it(`${JSON.stringify(input)} -> ${String(expected)}`, () => {
      assert.equal(parseBool(input), expected);
    });
  }
});

describe('parseIntValue (Patroni parse_int)', () => {
  const rows: [unknown, string | undefined, number | undefined][] = [
    [30, undefined, 30],
    ['30', undefined, 30],
    [' 42 ', undefined, 42],
    ['-1', undefined, -1],
    ['0x10', undefined, 16],
    ['010', undefined, 8],
    ['16MB', 'MB', 16],
    ['1GB', 'MB', 1024],
    ['1min', 's', 60],
    ['1.5s', 'ms', 1500],
    ['128kB', 'MB', 0],
    ['2.6', undefined, 3],
    ['16MB', undefined, undefined],
    ['abc', undefined, undefined],
    [true, undefined, undefined],
    ['10 parsecs', 's', undefined],
    ['5MB', 's', undefined],
  ];
  for (const [input, unit, expected] of rows) {
    it(`${JSON.stringify(input)} in ${unit ?? 'no unit'} -> ${String(expected)}`, () => {
      assert.equal(parseIntValue(input, unit), expected);
    });
  }
  it('parseNumber reads decimals and refuses text', () => {
    assert.equal(parseNumber('2.5'), 2.5);
    assert.equal(parseNumber('x'), undefined);
    assert.equal(parseNumber(''), undefined);
  });
});
