import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeMode, parseModes, parseProfiles, parseScenarios } from './options.js';

describe('parseModes', () => {
  it('takes async, sync or both, in the order given', () => {
    assert.deepEqual(parseModes('async'), ['async']);
    assert.deepEqual(parseModes('sync'), ['sync']);
    assert.deepEqual(parseModes('sync, async'), ['sync', 'async']);
  });

  it('names the option and the choices for an unknown, repeated or empty list', () => {
    assert.throws(
      () => parseModes('synchronous'),
      /--modes: unknown 'synchronous' \(one or more of async, sync\)/,
    );
    assert.throws(() => parseModes('sync,sync'), /--modes: 'sync' given twice/);
    assert.throws(() => parseModes(''), /--modes: empty/);
  });

  it('labels a mode as bootstrap.dcs says it', () => {
    assert.equal(describeMode('sync'), 'synchronous_mode: true');
    assert.equal(describeMode('async'), 'asynchronous');
  });
});

describe('parseScenarios', () => {
  it('keeps the scenarios named, whatever their order', () => {
    assert.deepEqual([...parseScenarios('failover')], ['failover']);
    const some = parseScenarios('failover,idle');
    assert.ok(some.has('idle') && some.has('failover'));
    assert.ok(!some.has('rest') && !some.has('switchover'));
  });

  it('rejects a scenario it does not run (bootstrap always runs: it starts the cluster)', () => {
    assert.throws(() => parseScenarios('bootstrap'), /--scenarios: unknown 'bootstrap'/);
    assert.throws(() => parseScenarios('failover,failover'), /given twice/);
  });
});

describe('parseProfiles', () => {
  it('knows the lease profiles and names the known ones on a typo', () => {
    assert.deepEqual(
      parseProfiles('lease,lease4').map((p) => [p.ttl, p.loopWait, p.retryTimeout]),
      [
        [6, 1, 2],
        [4, 1, 1],
      ],
    );
    assert.throws(
      () => parseProfiles('lease5'),
      /unknown profile lease5 \(default, fast, lease, lease4\)/,
    );
  });
});
