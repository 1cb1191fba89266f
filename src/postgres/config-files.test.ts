import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderPostgresqlConf } from '../core/pg/conf.js';
import type { PostgresOptions } from '../core/pg/options.js';
import { MemoryLogger } from '../shared/log/logger.js';
import { PgConfigFiles, parseRecoveryBlock } from './config-files.js';
import { resolvePaths } from './paths.js';

describe('parseRecoveryBlock', () => {
  it('reads back the recovery block we render, quotes and backslashes included', () => {
    const recovery = {
      primary_conninfo: "user=r passfile=/p host=h port=1 application_name=o\\'k",
      primary_slot_name: 'n2',
      restore_command: "cp '/a b/%f' %p",
      recovery_target: '',
    };
    const text = renderPostgresqlConf({
      include: 'postgresql.base.conf',
      parameters: { port: 5432 },
      hbaFile: '/h',
      identFile: '/i',
      recovery,
    });
    assert.deepEqual(parseRecoveryBlock(text), recovery);
    assert.deepEqual(parseRecoveryBlock("port = '1'\n"), {});
  });
});

describe('PgConfigFiles.writePostgresqlConf', () => {
  it('leaves unchanged files alone, and repairs ones someone else edited', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'conf-files-'));
    try {
      const options: PostgresOptions = {
        scope: 'batman',
        name: 'node1',
        dataDir: dir,
        binDir: '',
        listen: '127.0.0.1:5432',
        connectAddress: '127.0.0.1:5432',
        authentication: {
          superuser: { username: 'postgres' },
          replication: { username: 'replicator' },
        },
        parameters: { max_connections: 20 },
        pgpass: join(dir, 'pgpass'),
        owner: null,
      };
      const paths = resolvePaths(options);
      const files = new PgConfigFiles(options, paths, new MemoryLogger());
      await writeFile(paths.autoConf, "primary_conninfo = 'host=x'\nwork_mem = '8MB'\n");
      assert.equal(await files.writePostgresqlConf(), true);
      const written = await readFile(paths.conf, 'utf8');
      const inode = (await stat(paths.conf)).ino;
      assert.equal(await readFile(paths.autoConf, 'utf8'), "work_mem = '8MB'\n");

      assert.equal(await files.writePostgresqlConf(), false);
      assert.equal((await stat(paths.conf)).ino, inode, 'not rewritten');

      await writeFile(paths.conf, '# mine\n');
      await writeFile(paths.autoConf, "restore_command = 'false'\n");
      assert.equal(await files.writePostgresqlConf(), true);
      assert.equal(await readFile(paths.conf, 'utf8'), written);
      assert.equal(await readFile(paths.autoConf, 'utf8'), '');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('PgConfigFiles.serverParameters', () => {
  it('writes relative hba_file and ident_file out absolute, from config_dir', () => {
    const options: PostgresOptions = {
      scope: 'qhb',
      name: 'node1',
      dataDir: '/data/qhb',
      configDir: '/etc/qhb',
      binDir: '',
      listen: '127.0.0.1:5432',
      connectAddress: '127.0.0.1:5432',
      authentication: { superuser: { username: 'qhb' }, replication: { username: 'repl' } },
      parameters: { hba_file: 'qhb_hba.conf', ident_file: 'qhb_ident.conf' },
      pgpass: '/tmp/pgpass',
      configBaseName: 'qhb',
    };
    const files = new PgConfigFiles(options, resolvePaths(options), new MemoryLogger());
    const params = files.serverParameters();
    assert.equal(params['hba_file'], '/etc/qhb/qhb_hba.conf');
    assert.equal(params['ident_file'], '/etc/qhb/qhb_ident.conf');
  });
});
