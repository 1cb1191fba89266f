import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { injectWithStandIn, standIns } from './inject.js';
import type { FaultHandle, Nemesis, Topology } from './types.js';

function nemesis(name: string, works: boolean, calls: string[]): Nemesis {
  return {
    name,
    hitsLeader: true,
    prepare: () => {
      calls.push(`prepare ${name}`);
      return works ? Promise.resolve() : Promise.reject(new Error(`${name} cannot run now`));
    },
    inject: (): Promise<FaultHandle> => {
      calls.push(`inject ${name}`);
      return Promise.resolve({ targets: [], description: name, heal: () => Promise.resolve() });
    },
  };
}

const topology = {} as Topology;

describe('injecting a scheduled fault', () => {
  it('injects the scheduled nemesis after its preparation, with no stand-in', async () => {
    const calls: string[] = [];
    const all = new Map([['a', nemesis('a', true, calls)]]);
    const r = await injectWithStandIn(topology, 'a', 1, all, () => 42);
    assert.equal(r.nemesis?.name, 'a');
    assert.equal(r.at, 42);
    assert.deepEqual(r.failed, []);
    assert.deepEqual(calls, ['prepare a', 'inject a']);
  });

  it('replaces a nemesis that cannot run by another, so the step still has a fault', async () => {
    const calls: string[] = [];
    const names = ['a', 'b', 'c', 'd', 'e'];
    const all = new Map(names.map((n) => [n, nemesis(n, n !== 'a', calls)]));
    const r = await injectWithStandIn(topology, 'a', 7, all, () => 0);
    const first = standIns('a', 7, names)[0];
    assert.equal(r.nemesis?.name, first);
    assert.deepEqual(r.failed, [{ nemesis: 'a', reason: 'a cannot run now' }]);
    assert.deepEqual(calls, ['prepare a', `prepare ${first}`, `inject ${first}`]);
  });

  it('gives up after three stand-ins, naming each that failed', async () => {
    const calls: string[] = [];
    const names = ['a', 'b', 'c', 'd', 'e'];
    const all = new Map(names.map((n) => [n, nemesis(n, false, calls)]));
    const r = await injectWithStandIn(topology, 'a', 7, all, () => 0);
    assert.equal(r.nemesis, null);
    assert.equal(r.failed.length, 4);
    assert.equal(calls.filter((c) => c.startsWith('inject')).length, 0);
  });

  it('draws the same stand-ins for the same step seed, never the scheduled one', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    assert.deepEqual(standIns('c', 99, names), standIns('c', 99, [...names].reverse()));
    assert.equal(standIns('c', 99, names).length, 3);
    assert.ok(!standIns('c', 99, names).includes('c'));
  });
});
