import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { peerVerdict } from '../candidates.js';
import { outranks, peerSentence, refusalSentence } from '../race.js';
import { cluster, input, member, replicaStatus, run, tags } from '../test-builders.js';

const leaderless = cluster({ leaderName: null });

describe('race report: the typed verdicts behind the leader race', () => {
  it('the winner names every candidate and why it did not outrank us', () => {
    const d = run(input({ cluster: leaderless }), {
      peers: { node1: null, node3: replicaStatus(90) },
    });
    assert.equal(d.reason.kind, 'promotedAcquired');
    assert.equal(d.race?.raced, true);
    assert.equal(d.race.refusal, null);
    const byName = new Map(d.race.peers.map((p) => [p.name, p.verdict]));
    assert.deepEqual(byName.get('node1'), { kind: 'unreachable' });
    assert.deepEqual(byName.get('node3'), { kind: 'walBehind', wal: 90, myWal: 100 });
  });

  it('a loser records who outranked it, with the sentence Patroni logs', () => {
    const d = run(input({ cluster: leaderless }), { peers: { node3: replicaStatus(200) } });
    assert.equal(d.reason.kind, 'followingNotHealthiest');
    assert.equal(d.race?.raced, false);
    const refusal = d.race.refusal;
    assert.deepEqual(refusal, {
      kind: 'outranked',
      by: 'node3',
      verdict: { kind: 'walAhead', wal: 200, myWal: 100 },
    });
    assert.equal(refusalSentence(refusal), 'Wal position of node3 is ahead of my wal position');
    assert.ok(d.log.some((l) => l.message === refusalSentence(refusal)));
  });

  it('a lagging replica records its own lag as the refusal', () => {
    const d = run(input({ cluster: { ...leaderless, lastLsn: 100 + 2 * 1048576 } }), {
      peers: {},
    });
    assert.deepEqual(d.race?.refusal, {
      kind: 'walLagging',
      myWal: 100,
      clusterLsn: 100 + 2 * 1048576,
    });
  });

  it('nofailover: refused without asking anyone, named as the refusal', () => {
    const d = run(input({ cluster: leaderless, myTags: tags({ nofailover: true }) }));
    assert.equal(d.reason.kind, 'followingNofailover');
    assert.deepEqual(d.race?.refusal, { kind: 'nofailover' });
  });

  it('a member tagged nofailover is named but never asked', () => {
    const members = [
      member('node1', { role: 'primary' }),
      member('node2'),
      member('node3', { tags: tags({ nofailover: true }) }),
    ];
    const d = run(input({ cluster: cluster({ leaderName: null, members }) }), {
      peers: { node1: null },
    });
    const node3 = d.race?.peers.find((p) => p.name === 'node3');
    assert.deepEqual(node3?.verdict, { kind: 'nofailover' });
  });

  it('no race while a leader holds the lock', () => {
    const d = run(input({ cluster: cluster() }));
    assert.equal(d.reason.kind, 'healthyReplica');
    assert.equal(d.race, null);
  });

  it('peerVerdict covers each clause of the pairwise rule', () => {
    assert.deepEqual(peerVerdict(null, 10, 1), { kind: 'unreachable' });
    assert.equal(peerVerdict(replicaStatus(10, { nofailover: true }), 10, 1).kind, 'nofailover');
    assert.equal(
      peerVerdict(replicaStatus(10, { watchdogFailed: true }), 10, 1).kind,
      'watchdogFailed',
    );
    const primary = peerVerdict({ ...replicaStatus(1), isPrimary: true }, 10, 1);
    assert.equal(peerSentence('n', primary), 'Primary (n) is still alive');
    const better = peerVerdict(replicaStatus(10, { failoverPriority: 2 }), 10, 1);
    assert.ok(outranks(better));
    assert.equal(
      peerSentence('n', better),
      'n has equally tolerable WAL position and priority 2, while this node has priority 1',
    );
    assert.equal(peerVerdict(replicaStatus(10), 10, 1).kind, 'notBetter');
    assert.ok(!outranks(peerVerdict(replicaStatus(9), 10, 1)));
  });
});
