/**
 * Debian's pgBackRest against a local posix repository in a temp dir, and a standalone
 * PostgreSQL ("seed") whose backup and archived WAL a cluster is then built from. pgBackRest and
 * the seed run as the PostgreSQL user when we are root, as they would in production.
 */
import { execFile } from 'node:child_process';
import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { postgresOwner } from './os-user.js';
import { freePort } from './ports.js';
import { PG_BIN_DIR, waitFor } from './postgres.js';

export const STANZA = 'batman';

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program as the PostgreSQL user (when we are root). */
export function runAsPostgres(file: string, args: readonly string[]): Promise<RunResult> {
  const owner = postgresOwner();
  return new Promise((done) => {
    execFile(
      file,
      [...args],
      { timeout: 120_000, ...(owner === null ? {} : { uid: owner.uid, gid: owner.gid }) },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        done({ code, stdout, stderr });
      },
    );
  });
}

export async function pgbackrest(config: string, ...args: string[]): Promise<string> {
  const r = await runAsPostgres('pgbackrest', [
    `--config=${config}`,
    `--stanza=${STANZA}`,
    ...args,
  ]);
  if (r.code !== 0) {
    throw new Error(
      `pgbackrest ${args.join(' ')} exited ${String(r.code)}: ${r.stdout}${r.stderr}`,
    );
  }
  return r.stdout;
}

/** A directory the PostgreSQL user owns (pgBackRest runs as that user). */
export function ownedDir(path: string): string {
  mkdirSync(path, { recursive: true, mode: 0o750 });
  const owner = postgresOwner();
  if (owner !== null) chownSync(path, owner.uid, owner.gid);
  return path;
}

export interface RepoConfig {
  readonly repo: string;
  /** This node's data directory, port and socket directory. */
  readonly dataDir: string;
  readonly port: number;
  readonly socketDir: string;
  /** Logs and locks of this node's pgBackRest. */
  readonly workDir: string;
}

/** Writes one node's pgbackrest.conf (synchronously: it is called while configs are written). */
export function writeRepoConfig(path: string, c: RepoConfig): string {
  ownedDir(c.workDir);
  ownedDir(join(c.workDir, 'log'));
  ownedDir(join(c.workDir, 'lock'));
  const text = [
    '[global]',
    `repo1-path=${c.repo}`,
    `log-path=${join(c.workDir, 'log')}`,
    `lock-path=${join(c.workDir, 'lock')}`,
    'log-level-console=warn',
    'log-level-file=info',
    'compress-type=none',
    'repo1-retention-full=2',
    'start-fast=y',
    '',
    `[${STANZA}]`,
    `pg1-path=${c.dataDir}`,
    `pg1-port=${String(c.port)}`,
    `pg1-socket-path=${c.socketDir}`,
    '',
  ].join('\n');
  writeFileSync(path, text, { mode: 0o640 });
  const owner = postgresOwner();
  if (owner !== null) chownSync(path, owner.uid, owner.gid);
  return path;
}

export interface SeedHistory {
  /** A recovery_target_time between the rows `before-target` and `after-target`. */
  readonly targetTime: string;
}

/**
 * A standalone PostgreSQL archiving into the repository: stanza-create, a row `in-backup`, a
 * full backup, a row `before-target`, the target time, a row `after-target`, its WAL archived;
 * then it is stopped. A cluster restored to the target time has the first two rows only.
 */
export async function seedRepository(root: string, repo: string): Promise<SeedHistory> {
  const dataDir = join(root, 'seed');
  const port = await freePort();
  const config = writeRepoConfig(join(root, 'seed.conf'), {
    repo,
    dataDir,
    port,
    socketDir: root,
    workDir: join(root, 'seed-work'),
  });
  await must(
    runAsPostgres(join(PG_BIN_DIR, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust']),
  );
  await appendFile(
    join(dataDir, 'postgresql.conf'),
    [
      `port = ${String(port)}`,
      `listen_addresses = ''`,
      `unix_socket_directories = '${root}'`,
      `archive_mode = on`,
      `archive_command = 'pgbackrest --config=${config} --stanza=${STANZA} archive-push %p'`,
      `fsync = off`,
      `shared_buffers = 16MB`,
      '',
    ].join('\n'),
  );
  const pgCtl = join(PG_BIN_DIR, 'pg_ctl');
  await must(runAsPostgres(pgCtl, ['-D', dataDir, '-l', join(root, 'seed.log'), '-w', 'start']));
  try {
    const q = (text: string) => query(root, port, text);
    await pgbackrest(config, 'stanza-create');
    await q(`CREATE TABLE history (v text); INSERT INTO history VALUES ('in-backup')`);
    await pgbackrest(config, '--type=full', 'backup');
    await q(`INSERT INTO history VALUES ('before-target')`);
    const rows = await q(`SELECT pg_catalog.clock_timestamp()::text AS t`);
    const targetTime = String(rows[0]?.['t']);
    await q(`SELECT pg_catalog.pg_sleep(0.3)`);
    await q(`INSERT INTO history VALUES ('after-target')`);
    const sw = await q(`SELECT pg_catalog.pg_walfile_name(pg_catalog.pg_switch_wal()) AS w`);
    const wal = String(sw[0]?.['w']);
    await waitFor('the seed archived its last segment', async () => {
      const r = await q(`SELECT last_archived_wal AS w FROM pg_catalog.pg_stat_archiver`);
      return r[0]?.['w'] === wal;
    });
    return { targetTime };
  } finally {
    await runAsPostgres(pgCtl, ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
  }
}

async function must(p: Promise<RunResult>): Promise<void> {
  const r = await p;
  if (r.code !== 0) throw new Error(`exited ${String(r.code)}: ${r.stderr}`);
}

async function query(socketDir: string, port: number, text: string) {
  const client = new pg.Client({ host: socketDir, port, user: 'postgres', database: 'postgres' });
  client.on('error', () => undefined); // the query's rejection carries the failure
  await client.connect();
  try {
    return (await client.query<Record<string, unknown>>(text)).rows;
  } finally {
    await client.end();
  }
}
