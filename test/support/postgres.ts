import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { BootstrapOptions, PostgresOptions } from '../../src/core/pg/options.js';
import { NodeCommandRunner } from '../../src/process/runner.js';
import { Postgresql } from '../../src/postgres/postgresql.js';
import { systemClock } from '../../src/shared/clock.js';
import { MemoryLogger } from '../../src/shared/log/logger.js';
import { postgresOwner } from './os-user.js';

export const PG_BIN_DIR = '/usr/lib/postgresql/15/bin';
export const SUPERUSER = { username: 'postgres', password: 'su-secret' };
export const REPLICATION = { username: 'replicator', password: 'rep-secret' };
export const REWIND = { username: 'rewind_user', password: 'rw-secret' };

/**
 * Options for one small test instance: data in `<dir>/<name>`, listening on 127.0.0.1:`port`, its
 * socket in `dir` (so parallel tests never share /var/run/postgresql), md5 over TCP, trust on the
 * socket, and PostgreSQL kept small (16MB shared_buffers, 20 connections, fsync off).
 */
export function makePgOptions(
  dir: string,
  port: number,
  overrides: Partial<PostgresOptions> = {},
): PostgresOptions {
  const owner = postgresOwner();
  const name = overrides.name ?? `node${port}`;
  return {
    scope: 'batman',
    name,
    dataDir: join(dir, name),
    binDir: PG_BIN_DIR,
    listen: `127.0.0.1:${port}`,
    connectAddress: `127.0.0.1:${port}`,
    authentication: { superuser: SUPERUSER, replication: REPLICATION, rewind: REWIND },
    parameters: {
      shared_buffers: '16MB',
      max_connections: 20,
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'on',
      unix_socket_directories: dir,
      wal_level: 'replica',
      hot_standby: 'on',
      max_wal_senders: 10,
      max_replication_slots: 10,
      wal_log_hints: 'on',
      wal_keep_size: '128MB',
      logging_collector: 'off',
    },
    pgHba: [
      'local all all trust',
      'host all all 127.0.0.1/32 md5',
      'host replication all 127.0.0.1/32 md5',
    ],
    pgpass: join(dir, `${name}.pgpass`),
    pgCtlTimeout: 60,
    owner: owner === null ? null : { ...owner, home: '/var/lib/postgresql' },
    ...overrides,
  };
}

export function makeBootstrapOptions(overrides: Partial<BootstrapOptions> = {}): BootstrapOptions {
  return { initdb: [{ encoding: 'UTF8' }, 'data-checksums', { locale: 'C' }], ...overrides };
}

export interface TestPg {
  readonly pg: Postgresql;
  readonly logger: MemoryLogger;
  readonly options: PostgresOptions;
}

export function makeTestPostgresql(options: PostgresOptions): TestPg {
  const logger = new MemoryLogger();
  const pgsql = new Postgresql(options, {
    runner: new NodeCommandRunner(),
    logger,
    clock: systemClock,
  });
  return { pg: pgsql, logger, options };
}

/** Runs SQL as the options' superuser over TCP (a fresh connection each time). */
export async function sql<R extends pg.QueryResultRow = pg.QueryResultRow>(
  options: PostgresOptions,
  text: string,
  params: unknown[] = [],
): Promise<R[]> {
  const port = Number(options.listen.split(':')[1]);
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: options.authentication.superuser.username,
    ...(options.authentication.superuser.password === undefined
      ? {}
      : { password: options.authentication.superuser.password }),
    database: 'postgres',
    connectionTimeoutMillis: 5000,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<R>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Polls `check` every `intervalMs` until it returns a value other than undefined/false, or fails
 * after timeoutMs.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}${last === undefined ? '' : `: ${last instanceof Error ? last.message : JSON.stringify(last)}`}`,
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Cleanup for after(): whatever postmaster runs on `dataDir` is killed, even if the test failed. */
export async function killPostmaster(dataDir: string): Promise<void> {
  const text = await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => null);
  const pid = Number(text?.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 'SIGQUIT');
  } catch {
    return;
  }
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

/**
 * A running, bootstrapped primary for tests that need one (roles created, pg_hba from
 * makePgOptions). Stop it with `killPostmaster(options.dataDir)` in after().
 */
export async function startTestPrimary(
  dir: string,
  port: number,
  overrides: Partial<PostgresOptions> = {},
): Promise<TestPg> {
  const node = makeTestPostgresql(makePgOptions(dir, port, overrides));
  const outcome = await node.pg.bootstrap(makeBootstrapOptions());
  if (outcome !== 'running') throw new Error(`test primary is still ${outcome}`);
  await node.pg.postBootstrap(makeBootstrapOptions());
  return node;
}
