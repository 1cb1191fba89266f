import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import {
  fenceMarginMs,
  leaseValidUntil,
  type LeaseTiming,
} from '../../core/config/lease-timing.js';
import { parseStatLine } from '../../postgres/process-tree.js';
import { errorMessage } from '../../shared/errors.js';
import type { Logger } from '../../shared/log/logger.js';
import { GUARDIAN_MARKER, GUARDIAN_SCRIPT } from './guardian-script.js';

/**
 * When the guardian stops PostgreSQL if nothing newer was confirmed, for the lease renewed by a
 * request sent at `sentAt`: half a margin after the keeper's own gate (the keeper, when alive,
 * always acts first) and half a margin before the lease's last valid moment (the key cannot be
 * gone yet, so no one else can have been promoted).
 */
export function guardAtMs(sentAt: number, t: LeaseTiming): number {
  return leaseValidUntil(sentAt, t) - fenceMarginMs(t) / 2;
}

/** What the keeper tells the guardian. */
export interface GuardianPort {
  /** PostgreSQL must be stopped `inMs` from now unless armed again or disarmed first. */
  arm(inMs: number): void;
  disarm(): void;
}

export interface LeaseGuardianDeps {
  readonly dataDir: string;
  /** The running postmaster's pid, or null (nothing to guard). */
  readonly postmasterPid: () => number | null;
  readonly logger: Logger;
}

/**
 * The lease guardian: a small process beside the leader's PostgreSQL that stops it (fast
 * shutdown) just before the leader key can expire, if the daemon has not renewed the lease by
 * then: because the daemon was killed (kill -9, the OOM killer) or hangs. The keeper's commit
 * gate needs a live daemon; without the guardian, a primary whose daemon died goes on taking
 * writes after another node was promoted, until the daemon is started again and demotes it
 * (what Patroni's watchdog is for, when a watchdog device exists). The guardian runs only on
 * a leader with something to fence (keeper.ts `FencePolicy` 'gate') and another member able to
 * take over; a successor daemon's guardian stands down the ones its predecessor left.
 */
export class LeaseGuardian implements GuardianPort {
  private child: ChildProcess | null = null;
  private guarded: number | null = null;
  private failedSaid = false;

  constructor(private readonly d: LeaseGuardianDeps) {}

  arm(inMs: number): void {
    const pm = this.d.postmasterPid();
    if (pm === null) {
      this.disarm();
      return;
    }
    if (this.child === null || this.guarded !== pm) {
      this.disarm();
      this.start(pm);
    }
    this.send(`arm ${String(Math.max(0, Math.round(inMs * 1000)))}`);
  }

  disarm(): void {
    const child = this.child;
    if (child === null) return;
    this.child = null;
    this.guarded = null;
    this.send('disarm', child);
    child.stdin?.end();
  }

  private start(pm: number): void {
    let child: ChildProcess;
    try {
      child = spawn('bash', ['-c', GUARDIAN_SCRIPT, GUARDIAN_MARKER, this.d.dataDir, String(pm)], {
        // Its own process group: a signal to the daemon's group must not take it along.
        detached: true,
        stdio: ['pipe', 'ignore', 'ignore'],
      });
    } catch (err) {
      this.sayFailed(err);
      return;
    }
    child.on('error', (err) => {
      this.sayFailed(err);
    });
    child.stdin?.on('error', () => undefined);
    // Neither the process nor its pipe may keep the daemon's event loop (and exit) waiting.
    child.unref();
    (child.stdin as { unref?: () => void } | null)?.unref?.();
    this.child = child;
    this.guarded = pm;
    standDownOthers(this.d.dataDir, child.pid ?? -1);
  }

  private send(line: string, child = this.child): void {
    if (child?.stdin?.writable !== true) return;
    child.stdin.write(`${line}\n`);
  }

  private sayFailed(err: unknown): void {
    if (this.failedSaid) return;
    this.failedSaid = true;
    this.d.logger.warning(`could not start the lease guardian: ${errorMessage(err)}`);
  }
}

/**
 * SIGTERM to every guardian of this data directory but `keep`: those left by a daemon that died
 * (or by an earlier postmaster of this one). Read from /proc: the guardian's argv names its
 * marker and data directory.
 */
export function standDownOthers(dataDir: string, keep: number): number {
  let stood = 0;
  for (const entry of safeReaddir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === keep || pid === process.pid) continue;
    const argv = safeRead(`/proc/${entry}/cmdline`)?.split('\0') ?? [];
    if (argv[3] !== GUARDIAN_MARKER || argv[4] !== dataDir) continue;
    // A subshell of the guardian we keep (its `$(...)`) has the same command line: killing it
    // would leave that guardian without the postmaster's start time, and it would never fire.
    if (keep > 0 && parentPid(entry) === keep) continue;
    try {
      process.kill(pid, 'SIGTERM');
      stood += 1;
    } catch {
      // Gone already, or not ours to signal.
    }
  }
  return stood;
}

function parentPid(pid: string): number | null {
  const stat = safeRead(`/proc/${pid}/stat`);
  return stat === null ? null : (parseStatLine(stat)?.ppid ?? null);
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function safeRead(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
