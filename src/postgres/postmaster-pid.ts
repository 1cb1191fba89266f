import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The first lines of `postmaster.pid`: pid, data dir, start time (epoch s), port, socket dir. */
export interface PostmasterPid {
  readonly pid: number;
  readonly dataDir: string;
  readonly startEpoch: number;
  readonly port: number;
  readonly socketDir: string;
  /** Line 8: `ready`, `starting`, `stopping`, `standby` (PG 10+). */
  readonly status: string;
}

/**
 * Read synchronously, as the other checks of a live postmaster: the file is a few hundred bytes
 * in the page cache, and an async read costs several thread-pool hand-offs, every cycle.
 */
export function readPostmasterPid(dataDir: string): PostmasterPid | null {
  const text = readSmallFile(join(dataDir, 'postmaster.pid'));
  if (text === null) return null;
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return {
    pid,
    dataDir: lines[1] ?? '',
    startEpoch: Number(lines[2] ?? 0),
    port: Number(lines[3] ?? 0),
    socketDir: lines[4] ?? '',
    status: (lines[7] ?? '').trim(),
  };
}

function readSmallFile(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Signal 0: does a process with this pid exist (EPERM still means it exists)? */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A live postmaster for this data directory: postmaster.pid names a process that exists and,
 * where /proc tells, is a postgres program (after a crash the pid may belong to anyone now).
 * Synchronous (see readPostmasterPid); the promise form suits the callers' async flows.
 */
export function livePostmaster(dataDir: string): Promise<PostmasterPid | null> {
  return Promise.resolve(livePostmasterNow(dataDir));
}

export function livePostmasterNow(dataDir: string): PostmasterPid | null {
  const pid = readPostmasterPid(dataDir);
  if (pid === null || !processAlive(pid.pid)) return null;
  const cmdline = readSmallFile(`/proc/${pid.pid}/cmdline`);
  if (cmdline !== null && !isPostmasterCmdline(cmdline, dataDir)) return null;
  return pid;
}

/**
 * A postgres program, or one started on this data directory: a fork's server has a name of its
 * own (`postgresql.bin_name.postgres`, e.g. QHB's `qhb`), and the postmaster keeps its argv.
 */
export function isPostmasterCmdline(cmdline: string, dataDir: string): boolean {
  if (/postgres|postmaster/.test(cmdline)) return true;
  return cmdline.split('\0').some((arg) => arg === dataDir || arg === `--pgdata=${dataDir}`);
}

export function signalProcess(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}
