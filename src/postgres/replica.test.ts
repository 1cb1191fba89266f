import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PostgresOptions } from '../core/pg/options.js';
import type { CommandRunner, RunResult, RunSpec } from '../process/runner.js';
import { ManualClock } from '../shared/clock.js';
import { MemoryLogger } from '../shared/log/logger.js';
import { createPgContext } from './context.js';
import { createReplica } from './replica.js';

const ok: RunResult = {
  exitCode: 0,
  signal: null,
  stdout: '',
  stderr: '',
  timedOut: false,
  aborted: false,
};
const failed: RunResult = { ...ok, exitCode: 1, stderr: 'could not connect' };

/** A runner that answers each call from a script and records the specs. */
function scriptedRunner(results: RunResult[]): CommandRunner & { calls: RunSpec[] } {
  const calls: RunSpec[] = [];
  const run = (spec: RunSpec): Promise<RunResult> => {
    calls.push(spec);
    return Promise.resolve(results.shift() ?? ok);
  };
  return {
    calls,
    run,
    start: (spec) => Promise.resolve({ pid: 1, kill: () => undefined, result: run(spec) }),
  };
}

async function until(check: () => boolean): Promise<void> {
  // Real file writes (pgpass, fsync) happen in between, so poll in real time.
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), 'condition not reached');
}

describe('createReplica (scripted runner, manual clock)', () => {
  let dir: string;
  let options: PostgresOptions;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'replica-unit-'));
    options = {
      scope: 'batman',
      name: 'n2',
      dataDir: join(dir, 'data'),
      binDir: '/pg/bin',
      listen: '127.0.0.1:5432',
      connectAddress: '127.0.0.1:5432',
      authentication: {
        superuser: { username: 'postgres' },
        replication: { username: 'rep', password: 'pw' },
      },
      parameters: {},
      pgpass: join(dir, 'pgpass'),
      basebackup: [{ checkpoint: 'fast' }],
      createReplicaMethods: ['basebackup', 'backup_tool'],
      replicaMethods: { backup_tool: { command: '/usr/bin/restore' } },
    };
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('tries pg_basebackup twice, 5 s apart, then falls back to the next method', async () => {
    const runner = scriptedRunner([failed, failed, ok]);
    const clock = new ManualClock();
    const ctx = createPgContext(options, { runner, logger: new MemoryLogger(), clock });
    const done = createReplica(ctx, { name: 'n1', connUrl: 'postgres://10.0.0.1:5433/postgres' });
    await until(() => runner.calls.length === 1);
    clock.advance(4_999);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(runner.calls.length, 1, 'no retry before 5 s');
    clock.advance(1);
    assert.deepEqual(await done, { ok: true, method: 'backup_tool' });
    assert.equal(runner.calls.length, 3);
    const bb = runner.calls[0]!;
    assert.equal(bb.command, '/pg/bin/pg_basebackup');
    assert.deepEqual(bb.args, [
      `--pgdata=${options.dataDir}`,
      '-X',
      'stream',
      '--dbname=dbname=postgres user=rep host=10.0.0.1 port=5433',
      '--checkpoint=fast',
    ]);
    assert.equal(bb.env?.['PGPASSFILE'], options.pgpass);
    assert.equal(runner.calls[2]!.command, '/usr/bin/restore');
    assert.equal(ctx.lifecycle.state, 'stopped');
  });

  it('reports failure when every method fails; without a source only no_leader methods run', async () => {
    const runner = scriptedRunner([failed, failed, failed]);
    const ctx = createPgContext(options, {
      runner,
      logger: new MemoryLogger(),
      clock: new ManualClock(),
    });
    const none = await createReplica(ctx, null);
    assert.deepEqual(none, { ok: false });
    assert.equal(runner.calls.length, 0, 'neither basebackup nor a method without no_leader runs');
  });
});
