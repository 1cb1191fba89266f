/**
 * The pgBackRest recipe with Debian's pgbackrest and a local posix repository: the cluster is
 * bootstrapped from a backup to a point in time, archives with archive-push, clones its replica
 * with `pgbackrest --delta restore` (keep_data, no_params), reinitializes it the same way, and
 * falls back to basebackup when pgBackRest fails. One cluster for all the checks.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, chown, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TestCluster, type TestNode } from '../support/cluster.js';
import { postgresOwner } from '../support/os-user.js';
import {
  STANZA,
  ownedDir,
  pgbackrest,
  seedRepository,
  writeRepoConfig,
  type SeedHistory,
} from '../support/pgbackrest.js';
import { waitFor } from '../support/postgres.js';
import { patronictlOk } from '../e2e/ctl.js';
import { makeTempDir, removeTempDir } from '../support/tmpdir.js';

/** The bootstrap script: Patroni passes --scope and --datadir; the target comes from recovery_conf. */
const RESTORE_SCRIPT = `#!/bin/sh
set -e
conf="$1"; shift
for a in "$@"; do case "$a" in --datadir=*) D="\${a#--datadir=}" ;; esac; done
mkdir -p -m 700 "$D"
exec pgbackrest --config="$conf" --stanza=${STANZA} --pg1-path="$D" --delta restore
`;

/**
 * post_bootstrap (called with the connection string last): a fresh full backup of the new
 * timeline before the leader key exists, so no replica restores the old backup and replays the
 * archived old-timeline WAL past the point the cluster was recovered to.
 */
const BACKUP_SCRIPT = `#!/bin/sh
exec pgbackrest --config="$1" --stanza=${STANZA} --type=full backup
`;

function confOf(node: TestNode): string {
  return join(node.dir, 'pgbackrest.conf');
}

function recipe(root: string, repo: string, seed: () => SeedHistory) {
  return (doc: Record<string, unknown>, node: TestNode): void => {
    const conf = writeRepoConfig(confOf(node), {
      repo,
      dataDir: node.dataDir,
      port: node.pgPort,
      socketDir: node.dir,
      workDir: join(node.dir, 'pgbackrest'),
    });
    const brest = `pgbackrest --config=${conf} --stanza=${STANZA}`;
    const restoreCommand = `${brest} archive-get %f "%p"`;
    const bootstrap = doc['bootstrap'] as Record<string, unknown>;
    bootstrap['method'] = 'pgbackrest';
    bootstrap['post_bootstrap'] = `${join(root, 'pgbackrest-backup.sh')} ${conf}`;
    bootstrap['pgbackrest'] = {
      command: `${join(root, 'pgbackrest-restore.sh')} ${conf}`,
      recovery_conf: {
        restore_command: restoreCommand,
        recovery_target_time: seed().targetTime,
        recovery_target_action: 'promote',
        recovery_target_timeline: 'latest',
      },
    };
    const pg = doc['postgresql'] as Record<string, unknown>;
    pg['parameters'] = {
      ...(pg['parameters'] as Record<string, unknown>),
      archive_mode: 'on',
      archive_command: `${brest} archive-push %p`,
    };
    pg['recovery_conf'] = { restore_command: restoreCommand };
    pg['create_replica_methods'] = ['pgbackrest', 'basebackup'];
    pg['pgbackrest'] = { command: `${brest} --delta restore`, keep_data: true, no_params: true };
    pg['pg_hba'] = [
      'local all all trust',
      'host replication replicator 127.0.0.1/32 md5',
      'host all all 127.0.0.1/32 md5',
    ];
  };
}

async function count(node: TestNode, re: RegExp): Promise<number> {
  return (await node.log()).split('\n').filter((l) => re.test(l)).length;
}

async function rows(node: TestNode): Promise<string[]> {
  const r = await node.sql<{ v: string }>('SELECT v FROM history ORDER BY v');
  return r.map((x) => x.v);
}

async function reinit(cluster: TestCluster, replica: TestNode, method: string): Promise<void> {
  const created = new RegExp(`replica has been created using ${method}$`);
  const before = await count(replica, created);
  await patronictlOk(replica.configPath, ['reinit', cluster.scope, replica.name, '--force']);
  await waitFor(
    `${replica.name} re-created using ${method}`,
    async () => {
      return (await count(replica, created)) > before;
    },
    120_000,
  );
  await cluster.waitForHealthy(90_000);
}

describe(
  'pgBackRest: bootstrap to a point in time, archive, replicas, reinit',
  { timeout: 420_000 },
  () => {
    let root: string;
    let repo: string;
    let seed: SeedHistory | null = null;
    let cluster: TestCluster;
    let leader: TestNode;
    let replica: TestNode;

    before(async () => {
      root = await makeTempDir('patroni-ts-pgbackrest-');
      repo = ownedDir(join(root, 'repo'));
      seed = await seedRepository(root, repo);
      const scripts = {
        'pgbackrest-restore.sh': RESTORE_SCRIPT,
        'pgbackrest-backup.sh': BACKUP_SCRIPT,
      };
      for (const [name, text] of Object.entries(scripts)) {
        const script = join(root, name);
        await writeFile(script, text);
        await chmod(script, 0o755);
        const owner = postgresOwner();
        if (owner !== null) await chown(script, owner.uid, owner.gid);
      }
      const history = seed;
      cluster = await TestCluster.start({
        nodes: [{ name: 'node1' }, { name: 'node2' }],
        edit: recipe(root, repo, () => history),
      });
    });

    after(async () => {
      await cluster.stop();
      if (process.env['KEEP_TEST_DIRS'] === undefined) await removeTempDir(root);
    });

    it('bootstraps with bootstrap.method pgbackrest, recovered to recovery_target_time, promoted', async () => {
      leader = await cluster.waitForLeader(120_000);
      assert.deepEqual(await rows(leader), ['before-target', 'in-backup']);
      const tl = await leader.sql<{ t: number }>(
        'SELECT timeline_id AS t FROM pg_catalog.pg_control_checkpoint()',
      );
      assert.ok((tl[0]?.t ?? 0) >= 2, 'a new timeline after the point-in-time recovery');
      assert.equal(
        (await leader.sql("SELECT 1 FROM pg_roles WHERE rolname = 'replicator'")).length,
        1,
      );
      const info = JSON.parse(await pgbackrest(confOf(leader), 'info', '--output=json')) as {
        backup: { type: string }[];
      }[];
      assert.equal(info[0]?.backup.length, 2, 'the seed backup and the post_bootstrap one');
    });

    it('clones the replica with pgbackrest --delta restore, which then streams', async () => {
      leader = await cluster.waitForHealthy(120_000);
      const other = cluster.nodes.find((n) => n !== leader);
      assert.ok(other);
      replica = other;
      assert.equal(await count(replica, /replica has been created using pgbackrest$/), 1);
      await leader.sql(`INSERT INTO history VALUES ('on-the-cluster')`);
      await waitFor('the new row on the replica', async () =>
        (await rows(replica)).includes('on-the-cluster'),
      );
    });

    it('archives the new timeline with archive-push', async () => {
      const r = await leader.sql<{ w: string }>(
        'SELECT pg_catalog.pg_walfile_name(pg_catalog.pg_switch_wal()) AS w',
      );
      const wal = r[0]?.w ?? '';
      await waitFor('the segment archived', async () => {
        const a = await leader.sql<{ w: string | null }>(
          'SELECT last_archived_wal AS w FROM pg_catalog.pg_stat_archiver',
        );
        return a[0]?.w === wal;
      });
      const info = JSON.parse(await pgbackrest(confOf(leader), 'info', '--output=json')) as {
        archive: { max: string }[];
      }[];
      assert.ok((info[0]?.archive[0]?.max ?? '') >= wal, JSON.stringify(info[0]?.archive));
      assert.match(wal, /^0000000[2-9]/);
    });

    it('patronictl reinit restores the replica with pgBackRest, keeping its data directory', async () => {
      await reinit(cluster, replica, 'pgbackrest');
      assert.ok((await count(replica, /Leaving data directory uncleaned/)) >= 1);
      assert.ok((await rows(replica)).includes('on-the-cluster'));
    });

    it('falls back to basebackup when pgBackRest fails', async () => {
      // The replica's pgBackRest now looks at an empty repository: its restore fails.
      writeRepoConfig(confOf(replica), {
        repo: ownedDir(join(root, 'empty-repo')),
        dataDir: replica.dataDir,
        port: replica.pgPort,
        socketDir: replica.dir,
        workDir: join(replica.dir, 'pgbackrest'),
      });
      await reinit(cluster, replica, 'basebackup');
      assert.match(await replica.log(), /replica method pgbackrest exited with code/);
      assert.ok((await rows(replica)).includes('on-the-cluster'));
      assert.deepEqual(await readdir(join(root, 'empty-repo')), []);
    });
  },
);
