/**
 * The lease guardian's script with real bash and a stand-in postmaster (a copy of sleep named
 * `postgres`): it stops the postmaster when the daemon's pipe closes or goes silent past the
 * deadline, never while the daemon keeps arming it, after a disarm, or on SIGTERM.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../shared/log/logger.js';
import { makeTempDir, removeTempDir } from '../../../test/support/tmpdir.js';
import { GUARDIAN_MARKER, GUARDIAN_SCRIPT } from './guardian-script.js';
import { LeaseGuardian, standDownOthers } from './guardian.js';

let dir: string;
let fakePostgres: string;
const started: ChildProcess[] = [];

before(async () => {
  dir = await makeTempDir('lease-guardian-');
  fakePostgres = join(dir, 'postgres');
  await copyFile('/bin/sleep', fakePostgres);
});
after(async () => {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await removeTempDir(dir);
});

function postmaster(): ChildProcess {
  const c = spawn(fakePostgres, ['300'], { stdio: 'ignore' });
  started.push(c);
  return c;
}

function guardian(pm: ChildProcess, dataDir = dir): ChildProcess {
  const c = spawn('bash', ['-c', GUARDIAN_SCRIPT, GUARDIAN_MARKER, dataDir, String(pm.pid)], {
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  started.push(c);
  return c;
}

/** How the process ended, and after how many ms, or null if still running after `ms`. */
function ended(c: ChildProcess, ms: number): Promise<{ signal: string | null; at: number } | null> {
  const start = performance.now();
  return new Promise((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) {
      resolve({ signal: c.signalCode, at: 0 });
      return;
    }
    const timer = setTimeout(() => {
      resolve(null);
    }, ms);
    c.once('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve({ signal, at: performance.now() - start });
    });
  });
}

describe('the lease guardian script', { timeout: 60_000 }, () => {
  it('stops the postmaster (SIGINT) once the deadline passes after the daemon is gone', async () => {
    const pm = postmaster();
    const g = guardian(pm);
    g.stdin?.write('arm 600000\n');
    g.stdin?.end(); // the daemon died: its end of the pipe closed
    const out = await ended(pm, 5000);
    assert.ok(out !== null, 'the postmaster was stopped');
    assert.equal(out.signal, 'SIGINT', 'fast shutdown');
    assert.ok(out.at >= 450, `not before the deadline (${out.at} ms)`);
  });

  it('stops it when the daemon goes silent (hung) past the deadline', async () => {
    const pm = postmaster();
    const g = guardian(pm);
    g.stdin?.write('arm 400000\n');
    const out = await ended(pm, 5000);
    assert.equal(out?.signal, 'SIGINT');
    g.stdin?.end();
  });

  it('never fires while the daemon keeps arming it, nor after a disarm', async () => {
    const pm = postmaster();
    const g = guardian(pm);
    for (let i = 0; i < 15; i++) {
      g.stdin?.write('arm 400000\n');
      await new Promise((r) => setTimeout(r, 100));
    }
    g.stdin?.write('disarm\n');
    g.stdin?.end();
    assert.ok((await ended(g, 3000)) !== null, 'the guardian exited');
    assert.equal(await ended(pm, 1500), null, 'the postmaster is still running');
  });

  it('SIGTERM stands it down without firing, even after the daemon is gone', async () => {
    const pm = postmaster();
    const g = guardian(pm);
    g.stdin?.write('arm 700000\n');
    g.stdin?.end();
    await new Promise((r) => setTimeout(r, 200));
    g.kill('SIGTERM');
    assert.ok((await ended(g, 3000)) !== null, 'the guardian exited');
    assert.equal(await ended(pm, 1500), null, 'the postmaster is still running');
  });

  it('does not signal a pid that is no longer a postmaster', async () => {
    const other = spawn('/bin/sleep', ['300'], { stdio: 'ignore' });
    started.push(other);
    const g = guardian(other, '/nonexistent-data-dir');
    g.stdin?.write('arm 100000\n');
    g.stdin?.end();
    assert.ok((await ended(g, 3000)) !== null, 'the guardian exited');
    assert.equal(await ended(other, 500), null, 'the unrelated process is untouched');
  });
});

describe('LeaseGuardian', { timeout: 60_000 }, () => {
  it('a successor daemon stands down the guardian its predecessor left', async () => {
    const pm = postmaster();
    const dataDir = join(dir, 'data-succession');
    const first = new LeaseGuardian({
      dataDir,
      postmasterPid: () => pm.pid ?? null,
      logger: silentLogger,
    });
    first.arm(1500);
    const second = new LeaseGuardian({
      dataDir,
      postmasterPid: () => pm.pid ?? null,
      logger: silentLogger,
    });
    second.arm(60_000);
    // Only the second's guardian is left, armed a minute out: the first's never fires.
    assert.equal(await ended(pm, 3000), null, 'the predecessor guardian did not fire');
    assert.equal(standDownOthers(dataDir, -1), 1, 'exactly one guardian was left');
    second.disarm();
  });

  it('spares the subshells of the guardian it keeps', async () => {
    const dataDir = join(dir, 'data-subshell');
    // A kept guardian busy in a `$(...)`: the subshell is a second bash with the same argv.
    const kept = spawn('bash', ['-c', '( sleep 30; : ); :', GUARDIAN_MARKER, dataDir, '1'], {
      stdio: 'ignore',
      detached: true,
    });
    started.push(kept);
    const keptPid = kept.pid ?? -1;
    const subshellSeen = async (): Promise<boolean> => {
      for (let i = 0; i < 200; i += 1) {
        const argvs = (await readdir('/proc')).filter(
          (e) => /^\d+$/.test(e) && e !== String(keptPid),
        );
        for (const e of argvs) {
          const argv = (await readFile(`/proc/${e}/cmdline`, 'utf8').catch(() => '')).split('\0');
          if (argv[3] === GUARDIAN_MARKER && argv[4] === dataDir) return true;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      return false;
    };
    try {
      assert.ok(await subshellSeen(), 'the subshell started');
      assert.equal(
        standDownOthers(dataDir, keptPid),
        0,
        "the kept guardian's subshell was signalled",
      );
      assert.equal(standDownOthers(dataDir, -1), 2, 'a guardian and its subshell were left');
    } finally {
      try {
        process.kill(-keptPid, 'SIGKILL');
      } catch {
        // Every process of the group is gone already.
      }
    }
  });

  it('follows a new postmaster pid and disarms without a postmaster', async () => {
    const pm1 = postmaster();
    const pm2 = postmaster();
    let current: number | null = pm1.pid ?? null;
    const dataDir = join(dir, 'data-restart');
    const g = new LeaseGuardian({ dataDir, postmasterPid: () => current, logger: silentLogger });
    g.arm(300);
    current = pm2.pid ?? null;
    g.arm(300);
    assert.equal((await ended(pm2, 5000))?.signal, 'SIGINT', 'the new postmaster is guarded');
    assert.equal(await ended(pm1, 500), null, 'the old pid is not signalled');
    current = null;
    g.arm(100);
    assert.equal(standDownOthers(dataDir, -1), 0, 'no guardian without a postmaster');
  });
});
