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
 * where /proc tells, is a postgres program started when the file says (after a crash the pid
 * may belong to anyone now, a backend of another cluster included). Synchronous (see
 * readPostmasterPid); the promise form suits the callers' async flows.
 */
export function livePostmaster(dataDir: string): Promise<PostmasterPid | null> {
  return Promise.resolve(livePostmasterNow(dataDir));
}

export function livePostmasterNow(dataDir: string): PostmasterPid | null {
  const pid = readPostmasterPid(dataDir);
  if (pid === null || !processAlive(pid.pid)) return null;
  return isPostmasterProcess(pid, dataDir) ? pid : null;
}

/**
 * The pid postmaster.pid names when a process lives under it that is not the postmaster which
 * wrote the file (the pid was reused after a crash): PostgreSQL itself would take that process
 * for a running postmaster and refuse to start ("lock file already exists") for as long as it
 * lives. Patroni 3.0.2 passes it as PG_GRANDPARENT_PID, which PostgreSQL ignores in the lock file.
 */
export function stalePidInUse(dataDir: string): number | null {
  const pid = readPostmasterPid(dataDir);
  if (pid === null || !processAlive(pid.pid)) return null;
  return isPostmasterProcess(pid, dataDir) ? null : pid.pid;
}

/**
 * How far apart postmaster.pid's start time and the process's own may be (Patroni 3.0.2's
 * `_is_postmaster_process`): the file has whole seconds, written just after the exec.
 */
const START_TIME_SLACK_S = 3;

function isPostmasterProcess(pid: PostmasterPid, dataDir: string): boolean {
  // Patroni's extra safety: never ourselves or our parent.
  if (pid.pid === process.pid || pid.pid === process.ppid) return false;
  const stat = readSmallFile(`/proc/${pid.pid}/stat`);
  // A zombie (a postmaster killed and not yet reaped) is no running server.
  if (stat !== null && statState(stat) === 'Z') return false;
  const cmdline = readSmallFile(`/proc/${pid.pid}/cmdline`);
  if (cmdline !== null && !isPostmasterCmdline(cmdline, dataDir)) return false;
  // Started on this very data directory (as we start it): no other process can be that, and a
  // wall clock stepped since its start (a resumed VM) must not make a live primary look gone.
  if (cmdline !== null && namesDataDir(cmdline, dataDir)) return true;
  const started = stat === null ? null : processStartEpoch(stat);
  if (started !== null && pid.startEpoch > 0) {
    return Math.abs(started - pid.startEpoch) <= START_TIME_SLACK_S;
  }
  return true;
}

/** The state letter of /proc/<pid>/stat (after the command name, which may hold ')'). */
function statState(stat: string): string {
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

/** Linux reports start times in USER_HZ clock ticks: 100 on every platform Node supports. */
const USER_HZ = 100;

/** When the process of this /proc/<pid>/stat text started, in epoch seconds (null if unknown). */
export function processStartEpoch(
  stat: string,
  bootEpoch: number | null = bootTime(),
): number | null {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); starttime is field 22.
  const ticks = Number(fields[19]);
  if (bootEpoch === null || !Number.isFinite(ticks)) return null;
  return bootEpoch + ticks / USER_HZ;
}

let cachedBootTime: number | null | undefined;

function bootTime(): number | null {
  if (cachedBootTime !== undefined) return cachedBootTime;
  const m = /^btime\s+(\d+)/m.exec(readSmallFile('/proc/stat') ?? '');
  cachedBootTime = m?.[1] === undefined ? null : Number(m[1]);
  return cachedBootTime;
}

/**
 * A postgres program, or one started on this data directory: a fork's server has a name of its
 * own (`postgresql.bin_name.postgres`, e.g. QHB's `qhb`), and the postmaster keeps its argv.
 */
export function isPostmasterCmdline(cmdline: string, dataDir: string): boolean {
  return /postgres|postmaster/.test(cmdline) || namesDataDir(cmdline, dataDir);
}

/** `-D <dataDir>` or `--pgdata=<dataDir>` among the arguments (a backend's title has neither). */
function namesDataDir(cmdline: string, dataDir: string): boolean {
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
