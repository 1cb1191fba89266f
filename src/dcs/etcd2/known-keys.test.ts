import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KnownKeys } from './known-keys.js';

const P = '/service/batman/';

describe('KnownKeys: what the v2 watch compares changes with', () => {
  it('reports each change against the last read, and continues after the last event', () => {
    const k = new KnownKeys();
    k.seed(10, [{ key: 'leader', value: 'node1' }]);
    assert.equal(k.nextIndex, 11);
    assert.deepEqual(
      k.apply(
        {
          action: 'compareAndSwap',
          node: { key: `${P}leader`, value: 'node1', modifiedIndex: 12 },
        },
        P,
      ),
      [{ key: 'leader', before: 'node1', after: 'node1' }],
    );
    assert.deepEqual(
      k.apply({ action: 'expire', node: { key: `${P}leader`, modifiedIndex: 13 } }, P),
      [{ key: 'leader', before: 'node1', after: null }],
    );
    assert.equal(k.nextIndex, 14);
    assert.equal(k.value('leader'), undefined);
  });

  it('a removed directory removes every key under it; keys outside the scope are ignored', () => {
    const k = new KnownKeys();
    k.seed(5, [
      { key: 'leader', value: 'node1' },
      { key: 'members/node1', value: '{}' },
    ]);
    const changes = k.apply(
      { action: 'delete', node: { key: '/service/batman', dir: true, modifiedIndex: 6 } },
      P,
    );
    assert.deepEqual(changes.map((c) => [c.key, c.after]).sort(), [
      ['leader', null],
      ['members/node1', null],
    ]);
    assert.deepEqual(
      k.apply(
        { action: 'set', node: { key: '/service/other/leader', value: 'x', modifiedIndex: 7 } },
        P,
      ),
      [],
    );
  });

  it('my own writes are known as mine until a read covers them; a refresh keeps the value', () => {
    const k = new KnownKeys();
    k.seed(1, []);
    k.own(2, 'config', '{"ttl":3}');
    k.own(3, 'leader', null);
    assert.equal(k.value('config'), '{"ttl":3}');
    assert.equal(k.value('leader'), undefined);
    assert.equal(k.has(2), true);
    k.own(4, 'config', null, true);
    assert.equal(k.value('config'), undefined);
    k.seed(3, []);
    assert.deepEqual([k.has(2), k.has(3), k.has(4)], [false, false, true]);
  });
});
