import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PostgresOptions } from '../../core/pg/options.js';
import { hasLeaderlessReplicaMethod } from './replica-methods.js';

function options(section: Readonly<Record<string, unknown>>): PostgresOptions {
  return {
    createReplicaMethods: ['no_leader_bootstrap'],
    replicaMethods: { no_leader_bootstrap: { command: 'restore.py', ...section } },
  } as unknown as PostgresOptions;
}

describe('hasLeaderlessReplicaMethod', () => {
  it("accepts no_leader as YAML gives it: '1' (Patroni's own acceptance test), on, true", () => {
    assert.equal(hasLeaderlessReplicaMethod(options({ no_leader: '1' })), true);
    assert.equal(hasLeaderlessReplicaMethod(options({ no_leader: 'on' })), true);
    assert.equal(hasLeaderlessReplicaMethod(options({ no_master: true })), true);
    assert.equal(hasLeaderlessReplicaMethod(options({ no_leader: 1 })), true);
  });

  it('is false without the flag, and for basebackup', () => {
    assert.equal(hasLeaderlessReplicaMethod(options({})), false);
    assert.equal(hasLeaderlessReplicaMethod(options({ no_leader: false })), false);
    const bb = { createReplicaMethods: ['basebackup'], replicaMethods: {} };
    assert.equal(hasLeaderlessReplicaMethod(bb as unknown as PostgresOptions), false);
  });
});
