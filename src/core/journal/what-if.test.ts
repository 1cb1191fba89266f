import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cluster, input, member, replicaStatus, run } from '../ha/test-builders.js';
import { decisionRecord } from './summarize.js';
import { whatIfLeaderDied } from './what-if.js';

describe('whatIfLeaderDied: the decision core replayed without the leader', () => {
  it('the replica with the most WAL would take over; the dead leader counts as unreachable', () => {
    const me = input({ me: 'node2', pg: { receiveLsn: 100, replayLsn: 100 } });
    const answer = whatIfLeaderDied(me, { node3: replicaStatus(90) });
    assert.equal(answer.leader, 'node1');
    assert.equal(answer.wouldRace, true);
    assert.equal(answer.reason.kind, 'promotedAcquired');
    assert.equal(answer.sentence, 'promoted self to leader by acquiring session lock');
    const verdicts = Object.fromEntries(
      (answer.race?.peers ?? []).map((p) => [p.name, p.verdict.kind]),
    );
    assert.deepEqual(verdicts, { node1: 'unreachable', node3: 'walBehind' });
  });

  it('a replica behind another one would step aside, naming who outranks it', () => {
    const answer = whatIfLeaderDied(input({ me: 'node2' }), { node3: replicaStatus(200) });
    assert.equal(answer.wouldRace, false);
    assert.equal(answer.reason.kind, 'followingNotHealthiest');
    assert.equal(answer.race?.refusal?.kind, 'outranked');
  });

  it('the leader itself is skipped, and nothing is asked of anyone', () => {
    const answer = whatIfLeaderDied(input({ me: 'node1' }), {});
    assert.equal(answer.skipped, 'this member is the leader');
    assert.equal(answer.wouldRace, false);
  });

  it('a paused cluster: nobody would take over', () => {
    const paused = cluster({ config: { data: { ttl: 30, pause: true }, index: 5 } });
    const answer = whatIfLeaderDied(input({ me: 'node2', cluster: paused }), {
      node3: replicaStatus(90),
    });
    assert.equal(answer.wouldRace, false);
    assert.equal(answer.race?.refusal?.kind, 'paused');
  });
});

describe('decisionRecord: what the journal keeps of a cycle', () => {
  it('names the inputs and never a conn_url or password', () => {
    const secret = 'postgres://replicator:s3cret@127.0.0.3:5432/postgres';
    const members = [
      member('node1', { role: 'primary', xlogLocation: 100 }),
      member('node2'),
      member('node3', { connUrl: secret, xlogLocation: 90 }),
    ];
    const inp = input({
      me: 'node2',
      cluster: cluster({ members, lastLsn: 150 }),
      settings: { synchronousMode: true },
    });
    const d = run(inp);
    const rec = decisionRecord(inp, d, 'node1');
    assert.equal(rec.reason.kind, 'healthyReplica');
    assert.equal(rec.inputs.lockOwner, 'node1');
    assert.equal(rec.inputs.leaderLsn, 150);
    assert.equal(rec.inputs.lagBytes, 50);
    assert.deepEqual(rec.inputs.bestPeer, { name: 'node3', lsn: 90, lagBytes: 60 });
    assert.equal(rec.inputs.sync.synchronousMode, true);
    assert.ok(!JSON.stringify(rec).includes('s3cret'));
    assert.ok(!JSON.stringify(rec).includes('postgres://'));
  });
});
