/**
 * The decision journal on a real three-node cluster (etcd, PostgreSQL 15, our daemons): after a
 * kill -9 of the leader, the new leader's journal names the lost lock, the candidates it compared
 * and why they did not outrank it; `patronictl why` and `patronictl journal` read the same.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { JournalEntry, JournalReply } from '../../src/core/journal/entry.js';
import type { WhatIfAnswer } from '../../src/core/journal/what-if.js';
import { SUPERUSER_PASSWORD, TestCluster, type TestNode } from '../support/cluster.js';
import { waitFor } from '../support/postgres.js';

const ROOT = new URL('../../', import.meta.url).pathname;

function patronictl(
  config: string,
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'bin/patronictl'), ['-c', config, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function getJson<T>(node: TestNode, path: string): Promise<T> {
  const res = await fetch(`${node.apiBase}${path}`, { signal: AbortSignal.timeout(5000) });
  assert.equal(res.status, 200, `${node.name} ${path}`);
  return (await res.json()) as T;
}

describe('decision journal across a failover', { timeout: 600_000 }, () => {
  let cluster: TestCluster;
  let leader: TestNode;

  before(async () => {
    cluster = await TestCluster.start();
    leader = await cluster.waitForHealthy();
  });
  after(async () => {
    await cluster.stop();
  });

  it('patronictl why names who would take over, and changes nothing', async () => {
    const replicas = cluster.nodes.filter((n) => n !== leader);
    for (const r of replicas) {
      // A replica that has not yet had a cycle as a streaming follower answers without a race;
      // on a loaded machine that can take a few cycles after the cluster reports healthy.
      let answer: WhatIfAnswer | undefined;
      await waitFor(`${r.name} answers /why with a race`, async () => {
        if ((await r.httpStatus('/why')) !== 200) return false;
        answer = await getJson<WhatIfAnswer>(r, '/why');
        return answer.race !== null;
      });
      assert.ok(answer !== undefined);
      assert.equal(answer.leader, leader.name);
      assert.ok(answer.race !== null, `${r.name} simulated a race`);
      assert.deepEqual(
        answer.race.peers.find((p) => p.name === leader.name)?.verdict,
        { kind: 'unreachable' },
        'the dead leader counts as unreachable',
      );
    }
    const r = await patronictl(leader.configPath, ['why']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`If the leader ${leader.name} died now, (node\\d)`));
    assert.equal(await cluster.dcsValue('leader'), leader.name, 'the leader key is untouched');
  });

  it('after kill -9 of the leader, the new leader journal names the lost lock and the candidates', async () => {
    const old = leader;
    await old.kill9();
    const next = await cluster.waitForLeader(120_000, old.name);
    const survivor = cluster.nodes.find((n) => n !== old && n !== next);
    assert.ok(survivor);

    let takeover: JournalEntry | undefined;
    await waitFor('the takeover in the new leader journal', async () => {
      const j = await getJson<JournalReply>(next, '/journal');
      takeover = j.entries.find((e) => e.kind === 'promotedAcquired');
      return takeover !== undefined;
    });
    assert.ok(takeover);
    assert.equal(takeover.member, next.name);
    assert.equal(takeover.sentence, 'promoted self to leader by acquiring session lock');
    assert.equal(takeover.inputs.lockOwner, null);
    assert.equal(takeover.inputs.previousLockOwner, old.name, 'names the lost lock');
    assert.ok(takeover.race?.raced);
    const verdicts = new Map(takeover.race.peers.map((p) => [p.name, p.verdict.kind]));
    assert.equal(verdicts.get(old.name), 'unreachable');
    // The survivor answered and did not outrank us: it had no more WAL.
    assert.ok(
      ['walBehind', 'notBetter'].includes(verdicts.get(survivor.name) ?? ''),
      `survivor verdict ${String(verdicts.get(survivor.name))}`,
    );

    // The cycles before: following the old leader, deduplicated into few entries.
    const before = (await getJson<JournalReply>(next, '/journal')).entries.filter(
      (e) => e.seq < takeover!.seq,
    );
    const following = before.find((e) => e.kind === 'healthyReplica');
    assert.ok(following, 'the journal kept the cycles that followed the old leader');
    assert.equal(following.inputs.lockOwner, old.name);
    assert.ok(
      before.some((e) => e.count > 1),
      'identical cycles are folded into one entry',
    );

    // The survivor follows the new leader; any cycle of it that found no lock holder says why
    // it did not take over (it lost the race for the lock, or a peer outranked it).
    await waitFor('the survivor journal to follow the new leader', async () => {
      const j = await getJson<JournalReply>(survivor, '/journal');
      return j.entries.some((e) => e.kind === 'healthyReplica' && e.inputs.lockOwner === next.name);
    });
    const leaderless = (await getJson<JournalReply>(survivor, '/journal')).entries.filter(
      (e) => e.inputs.dcsReachable && e.inputs.lockOwner === null && e.race !== null,
    );
    for (const e of leaderless) {
      assert.ok(
        e.kind === 'followingFailedLock' ||
          (e.kind === 'followingNotHealthiest' && e.race?.refusal !== null),
        `survivor: ${e.kind} ${JSON.stringify(e.race)}`,
      );
    }

    const all = JSON.stringify(await getJson<JournalReply>(next, '/journal'));
    assert.ok(!all.includes(SUPERUSER_PASSWORD), 'no password in the journal');
    assert.ok(!all.includes('postgres://'), 'no conn_url in the journal');

    const ctl = await patronictl(survivor.configPath, ['journal', next.name]);
    assert.equal(ctl.code, 0, ctl.stderr);
    assert.match(ctl.stdout, new RegExp(`^\\+ Journal: ${next.name} -`));
    assert.match(ctl.stdout, /promotedAcquired/);
    assert.match(ctl.stdout, new RegExp(`lock: none \\(was ${old.name}\\)`));
    assert.match(ctl.stdout, new RegExp(`${old.name} is not reachable`));
  });
});
