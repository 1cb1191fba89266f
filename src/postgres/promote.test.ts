import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PostgresOptions } from '../core/pg/options.js';
import type { CommandRunner, RunResult, RunSpec } from '../process/runner.js';
import { ManualClock } from '../shared/clock.js';
import { MemoryLogger } from '../shared/log/logger.js';
import type { SqlExecutor } from './connection.js';
import { createPgContext, type PgContext } from './context.js';
import { promotePostgres } from './control.js';

const ok: RunResult = {
  exitCode: 0,
  signal: null,
  stdout: 'server promoting\n',
  stderr: '',
  timedOut: false,
  aborted: false,
};

function recordingRunner(): CommandRunner & { calls: RunSpec[] } {
  const calls: RunSpec[] = [];
  const run = (spec: RunSpec): Promise<RunResult> => {
    calls.push(spec);
    return Promise.resolve(ok);
  };
  return {
    calls,
    run,
    start: (spec) => Promise.resolve({ pid: 1, kill: () => undefined, result: run(spec) }),
  };
}

/** The context with its session replaced: `promote` answers pg_promote(), or throws. */
function withSession(ctx: PgContext, promote: 'ok' | 'error', seen: string[]): PgContext {
  const conn: SqlExecutor = {
    query: <R>(sql: string) => {
      seen.push(sql);
      if (promote === 'error') return Promise.reject(new Error('no session'));
      return Promise.resolve([{ ok: true }] as R[]);
    },
  };
  return { ...ctx, conn } as unknown as PgContext;
}

describe('promotePostgres', () => {
  let dir: string;
  let options: PostgresOptions;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'promote-unit-'));
    options = {
      scope: 'batman',
      name: 'n2',
      dataDir: join(dir, 'data'),
      binDir: '/pg/bin',
      listen: '127.0.0.1:5432',
      connectAddress: '127.0.0.1:5432',
      authentication: { superuser: { username: 'postgres' }, replication: { username: 'rep' } },
      parameters: {},
      pgpass: join(dir, 'pgpass'),
    };
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('asks over the open session and spawns no pg_ctl when pg_promote() answers', async () => {
    const runner = recordingRunner();
    const logger = new MemoryLogger();
    const seen: string[] = [];
    const ctx = withSession(
      createPgContext(options, { runner, logger, clock: new ManualClock() }),
      'ok',
      seen,
    );
    await promotePostgres(ctx);
    assert.deepEqual(seen, ['SELECT pg_catalog.pg_promote(false) AS ok']);
    assert.equal(runner.calls.length, 0, 'no process spawned on the failover path');
    assert.equal(ctx.role, 'master');
  });

  it('falls back to pg_ctl promote when the session cannot', async () => {
    const runner = recordingRunner();
    const ctx = withSession(
      createPgContext(options, { runner, logger: new MemoryLogger(), clock: new ManualClock() }),
      'error',
      [],
    );
    await promotePostgres(ctx);
    assert.equal(runner.calls.length, 1);
    assert.equal(runner.calls[0]!.command, '/pg/bin/pg_ctl');
    assert.deepEqual(runner.calls[0]!.args.slice(0, 2), ['promote', '-W']);
  });
});
