import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Dcs } from '../dcs/port.js';
import { PatroniError } from '../shared/errors.js';
import { meteredDcs } from './dcs-metered.js';

describe('meteredDcs: every DCS request timed and counted by operation', () => {
  it('times answers (false included) and counts throws as errors, passing results through', async () => {
    const inner = {
      name: 'node1',
      basePath: '/service/batman',
      updateLeader: () => Promise.resolve(false),
      getCluster: () => Promise.reject(new PatroniError('DCS_UNREACHABLE', 'etcd is down')),
      watch: () => Promise.resolve(true),
    } as unknown as Dcs;
    const seen: [string, boolean][] = [];
    const dcs = meteredDcs(inner, (op, seconds, ok) => {
      assert.ok(seconds >= 0);
      seen.push([op, ok]);
    });
    assert.equal(dcs.name, 'node1');
    assert.equal(await dcs.updateLeader(123), false);
    await assert.rejects(dcs.getCluster(), /etcd is down/);
    assert.equal(await dcs.watch(null, 10), true);
    assert.deepEqual(seen, [
      ['update_leader', true],
      ['get_cluster', false],
    ]);
  });

  it('forwards the lease keeper’s renewal, timed under its own name', async () => {
    let renewals = 0;
    const inner = {
      renewLeaderLease: () => {
        renewals += 1;
        return Promise.resolve(true);
      },
    } as unknown as Dcs;
    const seen: string[] = [];
    const dcs = meteredDcs(inner, (op) => seen.push(op));
    assert.equal(await dcs.renewLeaderLease(), true);
    assert.equal(renewals, 1);
    assert.deepEqual(seen, ['renew_leader_lease']);
  });
});
