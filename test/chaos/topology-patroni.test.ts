/**
 * The chaos topology with Debian's Patroni 3.0.2 as the daemon (the suite runs it side by side
 * with ours): it forms on the same etcd3 section through the same proxies, and destroy leaves
 * no namespace, mount or etcd process behind.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { promisify } from 'node:util';
import { startTopology, type ChaosTopology } from '../../chaos/topology/index.js';
import { DEBIAN_PATRONI } from '../support/cluster.js';
import { netnsUnavailable } from '../support/netns.js';
import { waitFor } from '../support/postgres.js';

const run = promisify(execFile);
const noPatroni = await access(DEBIAN_PATRONI).then(
  () => false,
  () => `${DEBIAN_PATRONI} is not installed`,
);
const skip = (await netnsUnavailable()) ?? noPatroni;

describe('chaos topology (Patroni 3.0.2)', { skip, timeout: 600_000 }, () => {
  let t: ChaosTopology | null = null;
  before(async () => {
    t = await startTopology({
      system: 'patroni',
      mode: 'sync',
      ttl: 20,
      loopWait: 2,
      retryTimeout: 5,
      walTmpfsMb: 128,
    });
  });
  after(async () => {
    await t?.destroy();
  });

  it('forms: one leader, two replicas streaming from it, synchronous mode on', async () => {
    assert.ok(t !== null);
    assert.equal(await t.healthy(), true);
    const leader = t.node((await t.leader()) ?? '');
    const log = await leader.test.log();
    assert.match(log, /no action\.\s+I am \(n\d\), the leader with the lock/);
    // The leader names its synchronous standby in the HA cycle after one streams.
    await waitFor(
      'one sync_standby in /cluster',
      async () => {
        const res = await fetch(`${leader.restBase}/cluster`);
        const body = (await res.json()) as { members: { role: string }[] };
        return body.members.filter((m) => m.role === 'sync_standby').length === 1;
      },
      30_000,
    );
  });

  it('destroy removes the namespaces, the WAL mounts and the etcd members', async () => {
    assert.ok(t !== null);
    const namespaces = t.nodes.map((n) => n.ns);
    const etcdPids = t.etcd.map((m) => m.pid());
    const walDirs = t.nodes.map((n) => n.walDir ?? '');
    await t.destroy();
    const { stdout: listed } = await run('ip', ['netns', 'list']);
    for (const ns of namespaces) assert.ok(!listed.includes(ns), `${ns} still there`);
    const { stdout: mounts } = await run('mount');
    for (const dir of walDirs) assert.ok(!mounts.includes(dir), `${dir} still mounted`);
    for (const pid of etcdPids.filter((p) => p !== null)) {
      assert.throws(() => process.kill(pid, 0), `etcd ${pid} still running`);
    }
  });
});
