/**
 * End to end, operator commands through the built patronictl against a real three-node cluster:
 * edit-config of a reloadable and of a restart-needing PostgreSQL parameter, `restart --pending`,
 * and `reinit` of a replica. One cluster for the file.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TestCluster, type TestNode } from '../support/cluster.js';
import { waitFor } from '../support/postgres.js';
import { listMembers, patronictlOk } from './ctl.js';

const SCOPE = 'batman';

async function setting(node: TestNode, name: string): Promise<string | undefined> {
  const rows = await node.sql<{ v: string }>(`SELECT current_setting('${name}') AS v`);
  return rows[0]?.v;
}

describe('patronictl edit-config, restart --pending and reinit', { timeout: 600_000 }, () => {
  let cluster: TestCluster;
  let leader: TestNode;
  const ctlConfig = (): string => cluster.node('node1').configPath;
  const pendingByMember = async (): Promise<Record<string, boolean>> => {
    const rows = await listMembers(ctlConfig(), SCOPE);
    return Object.fromEntries(rows.map((r) => [String(r['Member']), r['Pending restart'] === '*']));
  };

  before(async () => {
    cluster = await TestCluster.start();
  });
  after(async () => {
    await cluster.stop();
  });

  it('a reloadable parameter changed with edit-config reaches every node', async () => {
    leader = await cluster.waitForHealthy();
    await patronictlOk(ctlConfig(), ['edit-config', SCOPE, '--pg', 'work_mem=7MB', '--force']);
    for (const node of cluster.nodes) {
      await waitFor(
        `work_mem 7MB on ${node.name}`,
        async () => (await setting(node, 'work_mem')) === '7MB',
        60_000,
      );
    }
    assert.deepEqual(await pendingByMember(), { node1: false, node2: false, node3: false });
  });

  it('a restart-needing parameter is pending until restart --pending, then applied', async () => {
    const before = await setting(leader, 'max_connections');
    assert.equal(before, '30');
    await patronictlOk(ctlConfig(), [
      'edit-config',
      SCOPE,
      '--pg',
      'max_connections=40',
      '--force',
    ]);
    await waitFor(
      'every member shown with a pending restart',
      async () => Object.values(await pendingByMember()).every(Boolean),
      60_000,
    );
    for (const node of cluster.nodes) assert.equal(await setting(node, 'max_connections'), '30');

    await patronictlOk(ctlConfig(), ['restart', SCOPE, '--pending', '--force']);
    for (const node of cluster.nodes) {
      await waitFor(
        `max_connections 40 on ${node.name}`,
        async () => (await setting(node, 'max_connections')) === '40',
        120_000,
      );
    }
    await waitFor(
      'no pending restart left',
      async () => Object.values(await pendingByMember()).every((p) => !p),
      60_000,
    );
    leader = await cluster.waitForHealthy();
  });

  it('reinit of a replica re-clones it and it streams again', async () => {
    const replica = cluster.nodes.find((n) => n !== leader);
    assert.ok(replica);
    // A file no clone would bring: gone once the data directory is rebuilt from the leader.
    const marker = join(replica.dataDir, 'e2e-reinit-marker');
    await writeFile(marker, 'x');
    const pidBefore = await replica.postmasterPid();
    await leader.sql('CREATE TABLE reinit_probe (v text); INSERT INTO reinit_probe VALUES (1)');

    await patronictlOk(ctlConfig(), ['reinit', SCOPE, replica.name, '--force', '--wait']);
    await waitFor('the marker gone with the old data directory', () =>
      Promise.resolve(!existsSync(marker)),
    );
    await waitFor(
      `${replica.name} streaming again`,
      async () => (await cluster.streamingFrom(leader)).includes(replica.name),
      120_000,
    );
    assert.notEqual(await replica.postmasterPid(), pidBefore);
    const rows = await waitFor(
      'the probe row replayed on the re-cloned replica',
      async () => {
        const r = await replica.sql<{ v: string }>('SELECT v FROM reinit_probe');
        return r.length > 0 ? r : undefined;
      },
      60_000,
    );
    assert.deepEqual(rows, [{ v: '1' }]);
    assert.equal((await cluster.leader())?.name, leader.name);
  });
});
