import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandRunner, RunningProcess, RunSpec } from '../process/runner.js';
import { NodeCommandRunner } from '../process/runner.js';
import { MemoryLogger } from '../shared/log/logger.js';
import { CallbackRunner } from './callbacks.js';

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('CallbackRunner', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cb-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('never blocks the caller and passes <action> <role> <scope>', () => {
    const specs: RunSpec[] = [];
    const fake: CommandRunner = {
      start: (spec) => {
        specs.push(spec);
        return new Promise<RunningProcess>(() => undefined);
      },
      run: () => Promise.reject(new Error('unused')),
    };
    const cb = new CallbackRunner(
      () => ({
        scope: 'batman',
        callbacks: { on_role_change: "/usr/bin/cb --opt 'a b'" },
        owner: null,
      }),
      fake,
      new MemoryLogger(),
    );
    cb.call('on_role_change', 'master');
    cb.call('on_start', 'replica'); // not configured: nothing runs
    assert.equal(specs.length, 1);
    const spec = specs[0];
    assert.equal(spec?.command, '/usr/bin/cb');
    assert.deepEqual(spec.args, ['--opt', 'a b', 'on_role_change', 'master', 'batman']);
  });

  it('a new callback kills a still-running previous one; on_reload has its own slot', async () => {
    const script = join(dir, 'cb.sh');
    const log = join(dir, 'log');
    await writeFile(
      script,
      `#!/bin/sh\necho "start $1" >> '${log}'\n[ "$1" = on_start ] && sleep 30\necho "end $1" >> '${log}'\n`,
    );
    await chmod(script, 0o755);
    const logger = new MemoryLogger();
    const cb = new CallbackRunner(
      () => ({
        scope: 's',
        callbacks: { on_start: script, on_stop: script, on_reload: script },
        owner: null,
      }),
      new NodeCommandRunner(),
      logger,
    );
    const lines = async (): Promise<string[]> =>
      (await readFile(log, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '');
    cb.call('on_start', 'master');
    await until(async () => (await lines()).includes('start on_start'));
    cb.call('on_reload', 'master');
    await until(async () => (await lines()).includes('end on_reload'));
    assert.ok(!(await lines()).includes('end on_start'), 'on_reload did not kill on_start');
    cb.call('on_stop', 'master');
    await until(async () => (await lines()).includes('end on_stop'));
    assert.ok(logger.lines.some((l) => l.message.startsWith('killing previous callback')));
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(!(await lines()).includes('end on_start'), 'the killed on_start never finished');
  });
});
