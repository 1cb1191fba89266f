import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';

export interface RunAs {
  readonly uid: number;
  readonly gid: number;
}

/** A child process of the demo, in its own process group so Ctrl-C reaches only the demo. */
export interface Managed {
  readonly name: string;
  readonly child: ChildProcess;
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<void>;
}

export function startManaged(
  name: string,
  command: string,
  args: readonly string[],
  logPath: string,
  runAs: RunAs | null,
): Managed {
  const log = openSync(logPath, 'a');
  const child = spawn(command, args, {
    detached: true,
    stdio: ['ignore', log, log],
    ...(runAs === null ? {} : { uid: runAs.uid, gid: runAs.gid }),
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  return {
    name,
    child,
    async stop(signal = 'SIGTERM', timeoutMs = 60_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The uid/gid of the `postgres` user when we are root (PostgreSQL refuses root), else null. */
export function unprivilegedUser(): RunAs | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string): number =>
    Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  if (!Number.isInteger(uid) || uid <= 0) {
    throw new Error("running as root needs the 'postgres' user (installed with postgresql-15)");
  }
  return { uid, gid: id('-g') };
}

/** Whether `user` can read `path` (a repo under /root is not readable by `postgres`). */
export function canRead(path: string, user: RunAs | null): boolean {
  if (user === null) return true;
  const probe = spawnSync(
    process.execPath,
    ['-e', `require('fs').accessSync(${JSON.stringify(path)}, require('fs').constants.R_OK)`],
    { uid: user.uid, gid: user.gid },
  );
  return probe.status === 0;
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  pollMs = 250,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export async function getJson(url: string): Promise<Record<string, unknown> | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    const body: unknown = await res.json();
    return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Whether `url` answers 200 (any body). */
export async function httpOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}
