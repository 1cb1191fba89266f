import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatIssues, pyRepr, pyStr } from './issues.js';
import { splitHostPort } from './validate-live.js';

describe('Python-style value printing', () => {
  const rows: [unknown, string, string][] = [
    ['abc', 'abc', "'abc'"],
    ["it's", "it's", '"it\'s"'],
    ['say "hi"', 'say "hi"', '\'say "hi"\''],
    [true, 'True', 'True'],
    [null, 'None', 'None'],
    [undefined, '', ''],
    [3, '3', '3'],
    [['a', 1], "['a', 1]", "['a', 1]"],
    [{ k: 'v', n: false }, "{'k': 'v', 'n': False}", "{'k': 'v', 'n': False}"],
  ];
  for (const [value, str, repr] of rows) {
    it(`value ${str === '' ? '(missing)' : str}`, () => {
      assert.equal(pyStr(value), str);
      assert.equal(pyRepr(value), repr);
    });
  }

  it('formats `<path> <value> <message>` and removes duplicates', () => {
    const input = { a: { b: [1, 'x'] } };
    const issue = { path: ['a', 'b', 1], message: 'is not and integer' };
    assert.deepEqual(formatIssues([issue, issue], input), ['a.b.1 x is not and integer']);
  });
});

describe('splitHostPort (Patroni split_host_port)', () => {
  it('splits host and port, brackets around IPv6, default port when absent', () => {
    assert.deepEqual(splitHostPort('10.0.0.1:8008', 1), { host: '10.0.0.1', port: 8008 });
    assert.deepEqual(splitHostPort('[::1]:5432', 1), { host: '::1', port: 5432 });
    assert.deepEqual(splitHostPort('h1,h2:5432', 1), { host: 'h1,h2', port: 5432 });
    assert.deepEqual(splitHostPort('[fe80::1]', 2379), { host: 'fe80::1', port: 2379 });
  });

  it('refuses a port that is not a number', () => {
    assert.throws(() => splitHostPort('host:http', 1), /contains a wrong value/);
    assert.throws(() => splitHostPort('host:70000', 1), /contains a wrong value/);
  });
});
