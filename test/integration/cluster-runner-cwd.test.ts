/**
 * The test harness with a checkout in a directory only root may enter (`d=$(mktemp -d) && git
 * clone . "$d" && cd "$d" && make test`): a node of Debian's Patroni 3.0.2, which runs as
 * postgres, still bootstraps. Patroni starts the postmaster from a multiprocessing 'spawn' child
 * that first enters its parent's working directory; when that was the runner's, the child died
 * with "Permission denied" and the node stayed "starting" with no postmaster (every test that
 * runs Debian's Patroni timed out, whatever the commit under test).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEBIAN_PATRONI, TestCluster } from '../support/cluster.js';
import { postgresOwner } from '../support/os-user.js';

const skip = !existsSync(DEBIAN_PATRONI)
  ? `${DEBIAN_PATRONI} is not installed`
  : postgresOwner() === null
    ? 'needs root: the daemons must run as postgres, apart from the runner'
    : false;

describe(
  'a runner whose working directory postgres cannot enter',
  { skip, timeout: 180_000 },
  () => {
    const home = process.cwd();
    let rootOnly = '';
    let cluster: TestCluster | null = null;

    before(async () => {
      // node --test runs each file in a process of its own: this chdir is this file's alone.
      rootOnly = await mkdtemp(join(tmpdir(), 'patroni-ts-root-only-'));
      process.chdir(rootOnly);
    });
    after(async () => {
      await cluster?.stop();
      process.chdir(home);
      if (rootOnly !== '') await rm(rootOnly, { recursive: true, force: true });
    });

    it('still bootstraps a node of Debian’s Patroni 3.0.2', async () => {
      const dir = await stat(rootOnly);
      assert.equal(dir.mode & 0o077, 0, 'the runner’s cwd must be closed to postgres');
      assert.notEqual(dir.uid, postgresOwner()?.uid);
      cluster = await TestCluster.start({ nodes: [{ name: 'node1', impl: 'patroni' }] });
      const node = cluster.node('node1');
      const leader = await cluster.waitForLeader(90_000).catch(async (e: unknown) => {
        const errors = (await node.log()).split('\n').filter((l) => /denied|Error/.test(l));
        throw new Error(`${String(e)}; node1's errors:\n${errors.slice(0, 6).join('\n')}`);
      });
      assert.equal(leader, node);
      assert.doesNotMatch(await node.log(), /Permission denied/);
    });
  },
);
