import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryLogger } from '../shared/log/logger.js';
import { isPatroniError } from '../shared/errors.js';
import { LineSplitter, OutputTail } from './lines.js';
import { NodeCommandRunner, describeExit } from './runner.js';

const runner = new NodeCommandRunner();

describe('NodeCommandRunner', () => {
  it('streams output line by line to the logger and keeps a tail', async () => {
    const logger = new MemoryLogger();
    const r = await runner.run({
      command: '/bin/sh',
      args: ['-c', 'echo one; echo two >&2; printf three; exit 3'],
      logger,
      logLevel: 'info',
      logPrefix: 'sh: ',
    });
    assert.equal(r.exitCode, 3);
    assert.equal(r.stdout, 'one\nthree');
    assert.equal(r.stderr, 'two');
    assert.deepEqual(logger.lines.map((l) => l.message).sort(), [
      'sh: one',
      'sh: three',
      'sh: two',
    ]);
    assert.equal(describeExit(r), 'exited with code 3');
  });

  it('kills on timeout and says so', async () => {
    const started = Date.now();
    const r = await runner.run({ command: '/bin/sleep', args: ['30'], timeoutMs: 200 });
    assert.equal(r.timedOut, true);
    assert.equal(r.signal, 'SIGTERM');
    assert.ok(Date.now() - started < 10_000);
  });

  it('kills a detached process group on abort', async () => {
    const ac = new AbortController();
    const p = runner.run({
      command: '/bin/sh',
      args: ['-c', 'sleep 30 & wait'],
      signal: ac.signal,
      detached: true,
    });
    setTimeout(() => {
      ac.abort();
    }, 100);
    const r = await p;
    assert.equal(r.aborted, true);
    assert.equal(describeExit(r), 'was cancelled');
  });

  it('a missing program is a PatroniError naming it', async () => {
    await assert.rejects(runner.run({ command: '/nonexistent/prog', args: [] }), (err: unknown) => {
      assert.ok(isPatroniError(err, 'PROCESS_FAILED'));
      assert.match(err.message, /\/nonexistent\/prog/);
      return true;
    });
  });

  it(
    'drops to another uid/gid when running as root',
    { skip: process.getuid?.() !== 0 },
    async () => {
      const r = await runner.run({
        command: '/usr/bin/id',
        args: ['-u'],
        user: { uid: 65534, gid: 65534 },
        cwd: '/',
      });
      assert.equal(r.stdout.trim(), '65534');
    },
  );
});

describe('line helpers', () => {
  it('splits chunks across boundaries and strips CR', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    s.push('a\r\nb');
    s.push('c\n');
    s.push('d');
    s.flush();
    assert.deepEqual(lines, ['a', 'bc', 'd']);
  });
  it('keeps a bounded tail', () => {
    const t = new OutputTail(10);
    for (const l of ['aaaa', 'bbbb', 'cccc']) t.push(l);
    assert.equal(t.text(), 'bbbb\ncccc');
  });
});
