import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { syncStandbysOf } from './sync-standby.js';

describe('syncStandbysOf', () => {
  it("reads the standbys of the leader's sync key", () => {
    assert.deepEqual(syncStandbysOf('{"leader":"node1","sync_standby":"node2"}', 'node1'), [
      'node2',
    ]);
    assert.deepEqual(syncStandbysOf('{"leader":"node1","sync_standby":"node0,node2"}', 'node1'), [
      'node0',
      'node2',
    ]);
  });

  it("names nobody while the key is missing, names no standby or is a former leader's", () => {
    assert.deepEqual(syncStandbysOf(null, 'node1'), []);
    assert.deepEqual(syncStandbysOf('{"leader":"node1","sync_standby":null}', 'node1'), []);
    assert.deepEqual(syncStandbysOf('{"leader":"node0","sync_standby":"node1"}', 'node1'), []);
    assert.deepEqual(syncStandbysOf('not json', 'node1'), []);
    assert.deepEqual(syncStandbysOf('"node2"', 'node1'), []);
  });
});
