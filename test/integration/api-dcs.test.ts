import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { composeApiContext, type DaemonActions } from '../../src/api/compose.js';
import { RestApiServer } from '../../src/api/server.js';
import { call } from '../../src/api/testing/http-client.js';
import { primaryView, replicaView } from '../../src/core/health/fixtures.js';
import type { NodeView } from '../../src/core/health/node-view.js';
import { Journal } from '../../src/core/journal/journal.js';
import { hasFailoverRequest } from '../../src/core/model/cluster.js';
import { MemoryStore } from '../../src/dcs/memory/index.js';
import type { Dcs } from '../../src/dcs/port.js';
import { systemClock } from '../../src/shared/clock.js';

const actions: DaemonActions = {
  restart: () => Promise.resolve({ ok: true, message: 'restarted successfully' }),
  scheduleRestart: () => true,
  deleteScheduledRestart: () => false,
  reload: () => undefined,
  reinitialize: () => Promise.resolve(null),
  updateFailsafe: () => null,
  wakeup: () => undefined,
  journal: () => new Journal(),
  whatIfLeaderDied: () => Promise.resolve(null),
};

interface Node {
  readonly name: string;
  readonly dcs: Dcs;
  view: NodeView;
  readonly api: RestApiServer;
  base: string;
}

async function fetchStatus(apiUrl: string): Promise<unknown> {
  const res = await call(apiUrl, { timeoutMs: 2000 });
  return JSON.parse(res.body) as unknown;
}

async function until(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The REST API over the real DCS port (memory store), three nodes, node1 holding the lock. */
describe('REST API writing through the DCS port', () => {
  const store = new MemoryStore(systemClock);
  const nodes: Node[] = [];
  const node = (i: number): Node => {
    const n = nodes[i];
    if (n === undefined) throw new Error(`no node ${i}`);
    return n;
  };

  before(async () => {
    for (const name of ['node1', 'node2', 'node3']) {
      const dcs = store.client({ scope: 'batman', name });
      const entry: Node = {
        name,
        dcs,
        view: name === 'node1' ? primaryView() : replicaView({ name }),
        api: undefined as unknown as RestApiServer,
        base: '',
      };
      const api = new RestApiServer({
        options: { listen: '127.0.0.1:0' },
        context: composeApiContext({ view: () => entry.view, dcs, fetchStatus, actions }),
      });
      await api.start();
      Object.assign(entry, { api, base: `http://127.0.0.1:${api.address().port}` });
      nodes.push(entry);
    }
    const leader = node(0).dcs;
    assert.equal(await leader.initialize(true, '7710824723543783744'), true);
    assert.equal(await leader.setConfigValue({ ttl: 30, loop_wait: 10 }), true);
    assert.equal(await leader.attemptToAcquireLeader(), true);
    for (const n of nodes) {
      await n.dcs.touchMember({
        connUrl: 'postgres://127.0.0.1:5432/postgres',
        apiUrl: `${n.base}/patroni`,
        state: 'running',
        role: n.name === 'node1' ? 'primary' : 'replica',
        version: '3.0.2',
      });
    }
  });
  after(async () => {
    for (const n of nodes) await n.api.stop();
    for (const n of nodes) await n.dcs.close();
  });

  it('PATCH /config merges into the stored config with CAS; PUT replaces it', async () => {
    const res = await call(`${node(1).base}/config`, {
      method: 'PATCH',
      body: '{"loop_wait": 5, "postgresql": {"parameters": {"max_connections": 200}}}',
    });
    assert.equal(res.status, 200);
    const stored = (await node(0).dcs.getCluster()).config?.data;
    assert.deepEqual(stored, {
      ttl: 30,
      loop_wait: 5,
      postgresql: { parameters: { max_connections: 200 } },
    });
    const put = await call(`${node(2).base}/config`, {
      method: 'PUT',
      body: '{"ttl": 20, "loop_wait": 5}',
    });
    assert.equal(put.status, 200);
    assert.deepEqual((await node(0).dcs.getCluster()).config?.data, { ttl: 20, loop_wait: 5 });
  });

  it('scheduled switchover lands in the failover key, shows in /cluster, and DELETE clears it', async () => {
    const at = '2099-06-01T12:00:00+02:00';
    const res = await call(`${node(2).base}/switchover`, {
      method: 'POST',
      body: JSON.stringify({ leader: 'node1', candidate: 'node2', scheduled_at: at }),
    });
    assert.deepEqual([res.status, res.body], [202, 'Switchover scheduled']);
    const failover = (await node(0).dcs.getCluster()).failover;
    assert.deepEqual(
      [failover?.leader, failover?.candidate, failover?.scheduledAt],
      ['node1', 'node2', at],
    );
    const cluster = JSON.parse((await call(`${node(1).base}/cluster`)).body) as Record<
      string,
      unknown
    >;
    assert.deepEqual(cluster['scheduled_switchover'], { at, from: 'node1', to: 'node2' });
    const del = await call(`${node(1).base}/switchover`, { method: 'DELETE' });
    assert.deepEqual([del.status, del.body], [200, 'scheduled switchover deleted']);
    assert.equal(hasFailoverRequest(await node(0).dcs.getCluster()), false);
  });

  it('candidates are health-checked over their REST API: nofailover peers are refused', async () => {
    node(2).view = replicaView({ name: 'node3', effectiveTags: { nofailover: true } });
    const res = await call(`${node(0).base}/switchover`, {
      method: 'POST',
      body: '{"leader": "node1", "candidate": "node3"}',
    });
    assert.deepEqual(
      [res.status, res.body],
      [412, 'switchover is not possible: no good candidates have been found'],
    );
  });

  it('an immediate switchover answers once the candidate holds the lock', async () => {
    const answer = call(`${node(0).base}/switchover`, {
      method: 'POST',
      body: '{"leader": "node1", "candidate": "node2"}',
      timeoutMs: 60_000,
    });
    await until(
      'the failover key',
      async () => (await node(0).dcs.getCluster()).failover?.candidate === 'node2',
    );
    // What the HA loops would do: the old leader steps down, the candidate takes the lock.
    assert.equal(await node(0).dcs.deleteLeader(), true);
    assert.equal(await node(1).dcs.attemptToAcquireLeader(), true);
    const res = await answer;
    assert.deepEqual([res.status, res.body], [200, 'Successfully switched over to "node2"']);
  });
});
