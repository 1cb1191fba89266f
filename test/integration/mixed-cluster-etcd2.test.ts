/**
 * A mixed cluster on etcd's v2 API: one Debian Patroni 3.0.2 node beside two patroni-ts nodes.
 * They share one leader lock and one member list, so each kind reads what the other wrote:
 * the cluster forms, switches over with our patronictl to Patroni's node and with Patroni's
 * patronictl to ours, and a kill -9 of either kind of leader fails over to the other kind.
 * Skipped where Debian's patroni is not installed.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { DEBIAN_PATRONI, TestCluster, type TestNode } from '../support/cluster.js';
import { waitFor } from '../support/postgres.js';
import { patronictlOk } from '../e2e/ctl.js';

const DEBIAN_PATRONICTL = '/usr/bin/patronictl';
const skip = !existsSync(DEBIAN_PATRONI) || !existsSync(DEBIAN_PATRONICTL);

function theirCtl(config: string, args: readonly string[]): Promise<string> {
  return new Promise((done, fail) => {
    execFile(
      DEBIAN_PATRONICTL,
      ['-c', config, ...args],
      { timeout: 120_000, env: { ...process.env, LC_ALL: 'C.UTF-8' } },
      (err, out, errOut) => {
        if (err === null) done(out);
        else fail(new Error(`patronictl ${args.join(' ')}: ${err.message}\n${out}\n${errOut}`));
      },
    );
  });
}

describe(
  'a mixed cluster on etcd v2: Patroni 3.0.2 and patroni-ts',
  { skip, timeout: 900_000 },
  () => {
    let cluster: TestCluster;
    let patroni: TestNode;

    before(async () => {
      cluster = await TestCluster.start({
        dcsKind: 'etcd',
        nodes: [{ name: 'py1', impl: 'patroni' }, { name: 'ts2' }, { name: 'ts3' }],
      });
      patroni = cluster.node('py1');
    });
    after(async () => {
      await cluster.stop();
    });

    async function switchTo(target: TestNode, ctl: 'ours' | 'theirs'): Promise<void> {
      const leader = await cluster.waitForHealthy();
      if (leader === target) return;
      const args = ['switchover', cluster.scope, '--leader', leader.name];
      const run = ctl === 'ours' ? patronictlOk : theirCtl;
      const out = await run(target.configPath, [...args, '--candidate', target.name, '--force']);
      assert.match(out, new RegExp(`Successfully switched over to "${target.name}"`));
      await waitFor(
        `${target.name} holding the leader key`,
        async () => (await cluster.dcsValue('leader')) === target.name,
        60_000,
      );
      assert.equal((await cluster.waitForHealthy()).name, target.name);
    }

    it('forms: one leader, every other node streaming from it', async () => {
      const leader = await cluster.waitForHealthy();
      assert.equal(await cluster.dcsValue('leader'), leader.name);
      assert.equal(cluster.nodes.filter((n) => n !== leader).length, 2);
    });

    it("our patronictl switches over to Patroni's node, Patroni's patronictl to ours", async () => {
      await switchTo(patroni, 'ours');
      await switchTo(cluster.node('ts2'), 'theirs');
    });

    it('kill -9 of our leader fails over, the killed node rejoins', async () => {
      const ours = cluster.node('ts2');
      await switchTo(ours, 'theirs');
      await ours.kill9();
      const next = await cluster.waitForLeader(120_000, ours.name);
      ours.start();
      await waitFor(
        'the killed node streaming from the new leader',
        async () => (await cluster.streamingFrom(next)).includes(ours.name),
        180_000,
      );
    });

    it("kill -9 of Patroni's leader fails over to one of ours, and it rejoins", async () => {
      await switchTo(patroni, 'ours');
      await patroni.kill9();
      const next = await cluster.waitForLeader(120_000, patroni.name);
      assert.notEqual(next.impl, 'patroni');
      patroni.start();
      await waitFor(
        "Patroni's node streaming from ours",
        async () => (await cluster.streamingFrom(next)).includes(patroni.name),
        180_000,
      );
    });
  },
);
