import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPatroniError } from '../shared/errors.js';
import { parseYamlText } from './yaml.js';

describe('parseYamlText reads YAML as PyYAML does', () => {
  it('on/off/yes/no are booleans, y/n are strings, 0755 is octal, 1:20 is base 60', () => {
    const value = parseYamlText(
      'a: on\nb: Off\nc: yes\nd: NO\ne: y\nf: n\ng: 0755\nh: 1:20\ni: !!str on\nj: 127.0.0.1:8008\n',
      'x.yml',
    );
    assert.deepEqual(value, {
      a: true,
      b: false,
      c: true,
      d: false,
      e: 'y',
      f: 'n',
      g: 493,
      h: 80,
      i: 'on',
      j: '127.0.0.1:8008',
    });
  });

  it('merges << anchors', () => {
    assert.deepEqual(parseYamlText('base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n', 'x.yml'), {
      base: { x: 1 },
      other: { x: 1, y: 2 },
    });
  });

  it('a syntax error carries file, line and column', () => {
    assert.throws(
      () => parseYamlText('a: 1\nb: [1,\nc: 3\n', 'conf/patroni.yml'),
      (e) =>
        isPatroniError(e, 'CONFIG_SYNTAX') &&
        /^conf\/patroni\.yml:\d+:\d+: invalid YAML: /.test(e.message) &&
        e.details['line'] !== undefined,
    );
  });
});
