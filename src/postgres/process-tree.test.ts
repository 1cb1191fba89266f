import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { descendantsOf, parentTable, parseStatLine, processGone } from './process-tree.js';

describe('process-tree', () => {
  it('reads parent and state after a command name holding spaces and parentheses', () => {
    assert.deepEqual(parseStatLine('9 (postgres: a) (b)) T 7 9 9 0 -1 0'), { ppid: 7, state: 'T' });
    assert.equal(parseStatLine('garbage'), null);
  });

  it('lists children and grandchildren, not the parent or strangers', () => {
    const parents = new Map([
      [10, 1],
      [11, 10],
      [12, 10],
      [13, 11],
      [20, 1],
    ]);
    assert.deepEqual(descendantsOf(10, parents), [11, 12, 13]);
    assert.deepEqual(descendantsOf(20, parents), []);
  });

  it('finds a child of this process in the live table, and tells a gone one', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const pid = child.pid ?? 0;
    assert.equal(parentTable().get(pid), process.pid);
    assert.ok(descendantsOf(process.pid, parentTable()).includes(pid));
    assert.equal(processGone(pid), false);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    assert.equal(processGone(pid), true);
  });
});
