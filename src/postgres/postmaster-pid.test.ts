import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  isPostmasterCmdline,
  livePostmasterNow,
  processStartEpoch,
  stalePidInUse,
} from './postmaster-pid.js';

const argv = (...a: string[]): string => `${a.join('\0')}\0`;

describe('isPostmasterCmdline', () => {
  it('knows PostgreSQL by its program name', () => {
    assert.equal(
      isPostmasterCmdline(argv('/usr/lib/postgresql/15/bin/postgres', '-D', '/d'), '/x'),
      true,
    );
  });

  it("knows a fork's server (bin_name.postgres) by the data directory it was started on", () => {
    assert.equal(
      isPostmasterCmdline(argv('/opt/qhb/bin/qhb', '-D', '/data/qhb'), '/data/qhb'),
      true,
    );
    assert.equal(
      isPostmasterCmdline(argv('/opt/qhb/bin/qhb', '--pgdata=/data/qhb'), '/data/qhb'),
      true,
    );
  });

  it('rejects another program that took over the pid', () => {
    assert.equal(
      isPostmasterCmdline(argv('/usr/bin/vim', '/data/qhb/qhb.conf'), '/data/qhb'),
      false,
    );
  });
});

describe('processStartEpoch', () => {
  it('reads starttime (field 22) in clock ticks after boot', () => {
    const stat =
      '77 (postgres: a) b) S 1 77 77 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 12345 1000 10';
    assert.equal(processStartEpoch(stat, 1_700_000_000), 1_700_000_123.45);
    assert.equal(processStartEpoch(stat, null), null);
  });
});

describe('livePostmasterNow', () => {
  let dir: string;
  let child: ChildProcess;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pm-pid-'));
    child = spawn('sleep', ['60'], { argv0: 'postgres: scope: walsender', stdio: 'ignore' });
    const pid = child.pid ?? 0;
    // Until the exec, /proc shows node's command line.
    for (let i = 0; i < 200; i++) {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('postgres')) break;
      await new Promise((r) => setTimeout(r, 10));
    }
  });

  after(async () => {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  const pidFile = (pid: number, startEpoch: number): string =>
    `${pid}\n${dir}\n${startEpoch}\n5432\n/tmp\n*\n  1   2\nready\n`;

  it('takes a live postgres-named process started when the file says for the postmaster', async () => {
    const pid = child.pid ?? 0;
    await writeFile(join(dir, 'postmaster.pid'), pidFile(pid, Math.round(Date.now() / 1000)));
    assert.equal(livePostmasterNow(dir)?.pid, pid);
    assert.equal(stalePidInUse(dir), null);
  });

  it('does not take a process started minutes after the file (the pid was reused)', async () => {
    const pid = child.pid ?? 0;
    await writeFile(join(dir, 'postmaster.pid'), pidFile(pid, Math.round(Date.now() / 1000) - 600));
    assert.equal(livePostmasterNow(dir), null);
    assert.equal(stalePidInUse(dir), pid);
  });

  it('takes a process started on this data directory whatever the times (a stepped clock)', async () => {
    // `--`: node would reject `-D` as an option of its own and exit at once (a zombie, no server).
    const pm = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', '--', '-D', dir], {
      stdio: 'ignore',
    });
    try {
      const pid = pm.pid ?? 0;
      for (let i = 0; i < 200; i++) {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir)) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await writeFile(
        join(dir, 'postmaster.pid'),
        pidFile(pid, Math.round(Date.now() / 1000) - 600),
      );
      assert.equal(livePostmasterNow(dir)?.pid, pid);
      assert.equal(stalePidInUse(dir), null);
    } finally {
      pm.kill('SIGKILL');
    }
  });

  it('never takes this process for a postmaster', async () => {
    await writeFile(join(dir, 'postmaster.pid'), pidFile(process.pid, 0));
    assert.equal(livePostmasterNow(dir), null);
  });

  it('finds nothing to ignore when the pid is gone', async () => {
    await writeFile(join(dir, 'postmaster.pid'), pidFile(2 ** 22 + 1, 0));
    assert.equal(livePostmasterNow(dir), null);
    assert.equal(stalePidInUse(dir), null);
  });
});
