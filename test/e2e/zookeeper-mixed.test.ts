/**
 * A mixed cluster on one ZooKeeper: node1 is Debian's Patroni 3.0.2 (python3-kazoo), node2 and
 * node3 are ours. It forms; our patronictl and Patroni's switch over to each other's nodes;
 * kill -9 of either kind of leader fails over to the other kind (node3 is tagged nofailover
 * so that the other kind is the only candidate), and the killed node rejoins.
 */
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster, type TestNode } from '../support/cluster.js';
import { waitFor } from '../support/postgres.js';
import { zooKeeperStore } from '../support/zookeeper-store.js';
import { patronictlOk } from './ctl.js';

const SCOPE = 'batman';
const PATRONI = '/usr/bin/patroni';
const PATRONICTL = '/usr/bin/patronictl';
const skip = existsSync(PATRONI) ? false : 'Debian patroni (3.0.2) is not installed';

/** Debian's patronictl, as an operator would run it. */
function theirCtl(configPath: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(PATRONICTL, ['-c', configPath, ...args], { stdio: 'pipe' });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`patronictl ${args.join(' ')} exited ${code}:\n${out}`));
    });
  });
}

async function timeline(node: TestNode): Promise<number> {
  return Number((await node.status())?.['timeline']);
}

describe(
  'a mixed cluster on ZooKeeper: Patroni 3.0.2 and patroni-ts',
  { skip, timeout: 900_000 },
  () => {
    let cluster: TestCluster;
    let patroni: TestNode;
    let ours: TestNode;

    before(async () => {
      cluster = await TestCluster.start({
        store: zooKeeperStore,
        nodes: [
          { name: 'node1', command: [PATRONI] },
          { name: 'node2' },
          { name: 'node3', tags: { nofailover: true } },
        ],
      });
      patroni = cluster.node('node1');
      ours = cluster.node('node2');
    });
    after(async () => {
      await cluster.stop();
    });

    async function switchTo(to: TestNode, from: TestNode, ctl: 'ours' | 'theirs'): Promise<void> {
      const args = ['switchover', SCOPE, '--leader', from.name, '--candidate', to.name, '--force'];
      const out =
        ctl === 'ours'
          ? await patronictlOk(to.configPath, args)
          : await theirCtl(to.configPath, args);
      assert.match(out, new RegExp(`Successfully switched over to "${to.name}"`));
      await waitFor(`${to.name} the leader`, async () => (await cluster.leader()) === to, 60_000);
      await cluster.waitForHealthy();
    }

    async function killAndFailOver(dead: TestNode, next: TestNode): Promise<void> {
      const before = await timeline(dead);
      await dead.kill9();
      const leader = await cluster.waitForLeader(120_000, dead.name);
      assert.equal(leader.name, next.name);
      await waitFor(
        `${next.name} on the next timeline`,
        async () => (await timeline(next)) === before + 1,
        60_000,
      );
      dead.start();
      await waitFor(
        `${dead.name} streaming from ${next.name} again`,
        async () => (await cluster.streamingFrom(next)).includes(dead.name),
        180_000,
      );
      assert.equal(await cluster.dcsValue('leader'), next.name);
    }

    it('forms: one leader, both other nodes streaming, all three in both patronictl lists', async () => {
      await cluster.waitForHealthy();
      const mine = await patronictlOk(ours.configPath, ['list', SCOPE]);
      const theirs = await theirCtl(patroni.configPath, ['list', SCOPE]);
      for (const n of cluster.nodes) {
        assert.match(mine, new RegExp(`\\| ${n.name} `));
        assert.match(theirs, new RegExp(`\\| ${n.name} `));
      }
    });

    it('our patronictl switches over to the Patroni node, and Patroni’s back to ours', async () => {
      const leader = await cluster.waitForHealthy();
      if (leader === patroni) await switchTo(ours, patroni, 'theirs');
      await switchTo(patroni, ours, 'ours');
      await switchTo(ours, patroni, 'theirs');
    });

    it('kill -9 of our leader fails over to Patroni; ours rejoins', async () => {
      await killAndFailOver(ours, patroni);
    });

    it('kill -9 of the Patroni leader fails over to ours; Patroni rejoins', async () => {
      await killAndFailOver(patroni, ours);
    });
  },
);
