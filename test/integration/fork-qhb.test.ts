/**
 * A PostgreSQL fork with renamed programs and files (the QHB guide's configuration), with
 * PostgreSQL 15 standing in: bin_dir holds only the fork's program names (links to PostgreSQL's),
 * so any program run by its PostgreSQL name would fail; the fork's initdb is played by a wrapper
 * that leaves what QHB's initdb leaves (qhb.conf, qhb_hba.conf, qhb_ident.conf, a `qhb` database).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { access, chmod, chown, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TestCluster, type TestNode } from '../support/cluster.js';
import { postgresOwner } from '../support/os-user.js';
import { PG_BIN_DIR, waitFor } from '../support/postgres.js';
import { patronictlOk } from '../e2e/ctl.js';
import { makeTempDir, removeTempDir } from '../support/tmpdir.js';

const BIN_NAME = {
  pg_ctl: 'qhb_ctl',
  initdb: 'qhb_initdb',
  pg_basebackup: 'qhb_basebackup',
  postgres: 'qhb',
  pg_rewind: 'qhb_rewind',
  pg_controldata: 'qhb_controldata',
  pg_isready: 'qhb_isready',
} as const;

/** What QHB's initdb leaves behind, made from PostgreSQL's initdb. */
function forkInitdb(): string {
  return `#!/bin/sh
set -e
${PG_BIN_DIR}/initdb "$@"
while [ $# -gt 0 ]; do
  case "$1" in -D) D="$2"; shift ;; --pgdata=*) D="\${1#--pgdata=}" ;; esac
  shift
done
mv "$D/postgresql.conf" "$D/qhb.conf"
mv "$D/pg_hba.conf" "$D/qhb_hba.conf"
mv "$D/pg_ident.conf" "$D/qhb_ident.conf"
echo 'CREATE DATABASE qhb' | ${PG_BIN_DIR}/postgres --single -D "$D" --config-file="$D/qhb.conf" template1 >/dev/null
`;
}

async function forkBinDir(root: string): Promise<string> {
  const bin = join(root, 'qhb-bin');
  await mkdir(bin);
  for (const [program, name] of Object.entries(BIN_NAME)) {
    if (program === 'initdb') {
      await writeFile(join(bin, name), forkInitdb());
      await chmod(join(bin, name), 0o755);
    } else {
      await symlink(join(PG_BIN_DIR, program), join(bin, name));
    }
  }
  const owner = postgresOwner();
  if (owner !== null) await chown(bin, owner.uid, owner.gid);
  return bin;
}

/** The guide's settings on top of the test cluster's patroni.yml. */
function qhbConfig(bin: string) {
  return (doc: Record<string, unknown>): void => {
    const pg = doc['postgresql'] as Record<string, unknown>;
    const bootstrap = doc['bootstrap'] as Record<string, unknown>;
    pg['bin_dir'] = bin;
    pg['bin_name'] = BIN_NAME;
    pg['config_base_name'] = 'qhb';
    pg['database'] = 'qhb';
    pg['parameters'] = {
      ...(pg['parameters'] as Record<string, unknown>),
      hba_file: 'qhb_hba.conf',
      ident_file: 'qhb_ident.conf',
    };
    // Patroni 3.0.2 reads pg_hba only; QHB's own Patroni build reads qhb_hba.
    bootstrap['qhb_hba'] = bootstrap['pg_hba'];
  };
}

async function postmasterArgv(node: TestNode): Promise<string[]> {
  const pid = await node.postmasterPid();
  assert.notEqual(pid, null, `${node.name} has a postmaster`);
  const raw = await readFile(`/proc/${String(pid)}/cmdline`, 'utf8');
  return raw.split('\0').filter((a) => a !== '');
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describe('a PostgreSQL fork with renamed programs and files (QHB)', { timeout: 300_000 }, () => {
  let root: string;
  let cluster: TestCluster;

  before(async () => {
    root = await makeTempDir('patroni-ts-qhb-');
    const bin = await forkBinDir(root);
    cluster = await TestCluster.start({
      scope: 'qhb',
      nodes: [{ name: 'node1' }, { name: 'node2' }],
      edit: qhbConfig(bin),
    });
  });

  after(async () => {
    await cluster.stop();
    await removeTempDir(root);
  });

  it('forms a cluster: the replica clones with qhb_basebackup and streams', async () => {
    const leader = await cluster.waitForHealthy(90_000);
    const replica = cluster.nodes.find((n) => n !== leader);
    assert.ok(replica);
    await leader.sql('CREATE TABLE fork_check AS SELECT 42 AS v');
    await waitFor('the row on the replica', async () => {
      const rows = await replica.sql<{ v: number }>('SELECT v FROM fork_check').catch(() => []);
      return rows[0]?.v === 42;
    });
  });

  it('runs the postmaster by its fork name on qhb.conf, with qhb_hba.conf and qhb_ident.conf', async () => {
    for (const node of cluster.nodes) {
      const argv = await postmasterArgv(node);
      assert.equal(argv[0], join(root, 'qhb-bin', 'qhb'));
      assert.ok(argv.includes(`--config-file=${join(node.dataDir, 'qhb.conf')}`), argv.join(' '));
      const rows = await node.sql<{ c: string; h: string; i: string }>(
        "SELECT current_setting('config_file') c, current_setting('hba_file') h, current_setting('ident_file') i",
      );
      assert.deepEqual(rows[0], {
        c: join(node.dataDir, 'qhb.conf'),
        h: join(node.dataDir, 'qhb_hba.conf'),
        i: join(node.dataDir, 'qhb_ident.conf'),
      });
      const conf = await readFile(join(node.dataDir, 'qhb.conf'), 'utf8');
      assert.match(conf, /^include 'qhb\.base\.conf'$/m);
      assert.ok(await exists(join(node.dataDir, 'qhb.base.conf')));
      // Nothing under PostgreSQL's own names: the pg_hba lines belong to the fork's file.
      assert.equal(await exists(join(node.dataDir, 'postgresql.conf')), false);
      assert.equal(await exists(join(node.dataDir, 'pg_hba.conf')), false);
    }
  });

  it('publishes conn_url with the database qhb; the guide bootstrap keys start cleanly', async () => {
    for (const node of cluster.nodes) {
      const member = JSON.parse((await cluster.dcsValue(`members/${node.name}`)) ?? '{}') as {
        conn_url?: string;
      };
      assert.equal(member.conn_url, `postgres://127.0.0.1:${String(node.pgPort)}/qhb`);
    }
    const log = (await Promise.all(cluster.nodes.map((n) => n.log()))).join('\n');
    assert.match(log, /Unknown configuration key bootstrap\.qhb_hba is ignored/);
  });

  it('switches over with patronictl and the old leader streams from the new one', async () => {
    const leader = await cluster.waitForHealthy(90_000);
    const candidate = cluster.nodes.find((n) => n !== leader);
    assert.ok(candidate);
    await patronictlOk(leader.configPath, [
      'switchover',
      'qhb',
      '--leader',
      leader.name,
      '--candidate',
      candidate.name,
      '--force',
    ]);
    const next = await cluster.waitForHealthy(90_000);
    assert.equal(next.name, candidate.name);
    const argv = await postmasterArgv(leader);
    assert.equal(argv[0], join(root, 'qhb-bin', 'qhb'));
  });
});
