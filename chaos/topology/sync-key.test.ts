import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { syncStandbysOf } from './sync-key.js';

describe('syncStandbysOf', () => {
  it("reads Patroni 3.0.2's /sync value", () => {
    assert.deepEqual(syncStandbysOf('{"leader":"n1","sync_standby":"n2"}'), ['n2']);
    assert.deepEqual(syncStandbysOf('{"leader":"n1","sync_standby":"n2, n3"}'), ['n2', 'n3']);
  });
  it('names none for no key, no standby, or a value that is not its JSON', () => {
    assert.deepEqual(syncStandbysOf(null), []);
    assert.deepEqual(syncStandbysOf('{"leader":"n1","sync_standby":null}'), []);
    assert.deepEqual(syncStandbysOf('{"leader":"n1","sync_standby":""}'), []);
    assert.deepEqual(syncStandbysOf('not json'), []);
  });
});
