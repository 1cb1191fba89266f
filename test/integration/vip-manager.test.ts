/**
 * vip-manager (Debian's 1.0.2) beside each patroni-ts node, as the guides run it: one network
 * namespace per node (made by the test), each with its own vip-manager watching
 * `/service/<scope>/leader` for its node's name. The VIP sits in exactly one namespace, the
 * leader's, and moves on a switchover and on a kill -9 failover. vip-manager 1.0.2 speaks only
 * etcd's v2 API, so the cluster runs on `etcd:` (etcd with --enable-v2); the daemons and
 * PostgreSQL run in the root namespace, etcd on the test bridge's address so the namespaces
 * reach it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster, type TestNode } from '../support/cluster.js';
import { createNetLab, netnsUnavailable, nsAddresses, type NetLab } from '../support/netns.js';
import { waitFor } from '../support/postgres.js';
import { startVipManager, type VipManagerHandle } from '../support/vip-manager.js';
import { switchoverOk } from '../e2e/ctl.js';

const skip = (await netnsUnavailable()) ?? false;

describe('vip-manager moves the VIP with the leader', { skip, timeout: 600_000 }, () => {
  let lab: NetLab | null = null;
  let cluster: TestCluster | null = null;
  const managers: VipManagerHandle[] = [];
  let vip = '';

  before(async () => {
    lab = await createNetLab(2);
    vip = `${lab.prefix}.100`;
    cluster = await TestCluster.start({
      nodes: [{ name: 'node1' }, { name: 'node2' }],
      host: lab.hostAddress,
      dcsKind: 'etcd',
    });
    for (const [i, node] of lab.nodes.entries()) {
      const member = cluster.nodes[i];
      assert.ok(member);
      managers.push(
        await startVipManager({
          dir: cluster.dir,
          node,
          vip,
          scope: cluster.scope,
          name: member.name,
          etcdEndpoint: cluster.etcd.endpoint,
        }),
      );
    }
  });
  after(async () => {
    for (const m of managers) await m.stop();
    await cluster?.stop();
    await lab?.destroy();
  });

  /** The namespace of a cluster member (same index). */
  function nsOf(member: TestNode): string {
    const i = cluster?.nodes.indexOf(member) ?? -1;
    return lab?.nodes[i]?.ns ?? '';
  }

  async function holders(): Promise<string[]> {
    const out: string[] = [];
    for (const n of lab?.nodes ?? []) if ((await nsAddresses(n.ns)).includes(vip)) out.push(n.ns);
    return out;
  }

  async function waitForVipOn(member: TestNode, timeoutMs = 60_000): Promise<void> {
    const ns = nsOf(member);
    await waitFor(
      `the VIP on ${member.name}'s namespace ${ns} alone`,
      async () => {
        const h = await holders();
        return h.length === 1 && h[0] === ns;
      },
      timeoutMs,
    );
  }

  it("holds the VIP in the leader's namespace only", async () => {
    assert.ok(cluster !== null);
    const leader = await cluster.waitForHealthy();
    assert.equal(await cluster.dcsValue('leader'), leader.name);
    await waitForVipOn(leader);
    // It stays put: a few more of vip-manager's 500 ms rounds change nothing.
    await new Promise((r) => setTimeout(r, 2000));
    assert.deepEqual(await holders(), [nsOf(leader)]);
  });

  it('moves the VIP to the new leader on a switchover', async () => {
    assert.ok(cluster !== null);
    const leader = await cluster.waitForHealthy();
    const candidate = cluster.nodes.find((n) => n !== leader);
    assert.ok(candidate);
    await switchoverOk(
      cluster.node('node1').configPath,
      cluster.scope,
      leader.name,
      candidate.name,
    );
    await waitForVipOn(candidate);
  });

  it('moves the VIP to the survivor when the leader is killed with -9', async () => {
    assert.ok(cluster !== null);
    const leader = await cluster.waitForHealthy();
    const survivor = cluster.nodes.find((n) => n !== leader);
    assert.ok(survivor);
    await leader.kill9();
    // The leader key expires after ttl (20 s); the survivor then takes it and the VIP.
    await cluster.waitForLeader(120_000, leader.name);
    await waitForVipOn(survivor, 120_000);
  });
});
