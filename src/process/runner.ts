import { spawn } from 'node:child_process';
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { PatroniError } from '../shared/errors.js';
import type { Logger } from '../shared/log/logger.js';
import { LineSplitter, OutputTail } from './lines.js';

/** An OS account to drop to (the data directory owner, when the daemon runs as root). */
export interface RunAs {
  readonly uid: number;
  readonly gid: number;
}

export interface RunSpec {
  readonly command: string;
  readonly args: readonly string[];
  /** The complete environment; default: ours. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  readonly cwd?: string | undefined;
  readonly user?: RunAs | null | undefined;
  /** Kill the process (group) after this long; the result then says timedOut. */
  readonly timeoutMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Each output line is logged here at `logLevel` (default debug), prefixed by `logPrefix`. */
  readonly logger?: Logger | undefined;
  readonly logLevel?: 'debug' | 'info' | 'none' | undefined;
  readonly logPrefix?: string | undefined;
  /** Own process group, so a kill reaches the children too (callbacks, postmaster). */
  readonly detached?: boolean | undefined;
  /** Send the output to this open file descriptor instead of capturing it. */
  readonly outputFd?: number | undefined;
  /**
   * Do not keep our event loop alive for it: the postmaster outlives a daemon that exits (as
   * Patroni's does when it stops in pause mode).
   */
  readonly unref?: boolean | undefined;
}

export interface RunResult {
  /** null when killed by a signal. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** The last few KiB of stdout and stderr, for error messages. */
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly aborted: boolean;
}

export interface RunningProcess {
  readonly pid: number;
  readonly result: Promise<RunResult>;
  /** Signals the process, or its whole group when it was started detached. */
  kill(signal?: NodeJS.Signals): void;
}

/**
 * The narrow seam every PostgreSQL program call goes through, so tests can fake it in a few lines.
 * `start` rejects only when the program cannot be started at all (missing, not executable);
 * a non-zero exit is a normal result.
 */
export interface CommandRunner {
  start(spec: RunSpec): Promise<RunningProcess>;
  run(spec: RunSpec): Promise<RunResult>;
}

const KILL_GRACE_MS = 5_000;

/** The real runner, on node:child_process. */
export class NodeCommandRunner implements CommandRunner {
  async run(spec: RunSpec): Promise<RunResult> {
    return (await this.start(spec)).result;
  }

  start(spec: RunSpec): Promise<RunningProcess> {
    return new Promise((resolve, reject) => {
      const child = spawnChild(spec);
      child.once('error', (err: NodeJS.ErrnoException) => {
        reject(translateSpawnError(spec.command, err));
      });
      child.once('spawn', () => {
        if (spec.unref === true) child.unref();
        const pid = child.pid ?? -1;
        const kill = (sig: NodeJS.Signals = 'SIGTERM'): void => {
          killTree(child, spec.detached === true, sig);
        };
        resolve({ pid, kill, result: supervise(child, spec, kill) });
      });
    });
  }
}

function spawnChild(spec: RunSpec): ChildProcess {
  const stdio: StdioOptions =
    spec.outputFd === undefined
      ? ['ignore', 'pipe', 'pipe']
      : ['ignore', spec.outputFd, spec.outputFd];
  return spawn(spec.command, [...spec.args], {
    env: spec.env ?? process.env,
    cwd: spec.cwd,
    stdio,
    detached: spec.detached === true,
    ...(spec.user === null || spec.user === undefined
      ? {}
      : { uid: spec.user.uid, gid: spec.user.gid }),
  });
}

function supervise(
  child: ChildProcess,
  spec: RunSpec,
  kill: (sig?: NodeJS.Signals) => void,
): Promise<RunResult> {
  const out = new OutputTail();
  const err = new OutputTail();
  attachLines(child.stdout, spec, out);
  attachLines(child.stderr, spec, err);
  let timedOut = false;
  let aborted = false;
  const stop = (): void => {
    kill('SIGTERM');
    setTimeout(() => {
      kill('SIGKILL');
    }, KILL_GRACE_MS).unref();
  };
  const timer =
    spec.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          stop();
        }, spec.timeoutMs);
  const onAbort = (): void => {
    aborted = true;
    stop();
  };
  if (spec.signal?.aborted === true) onAbort();
  else spec.signal?.addEventListener('abort', onAbort, { once: true });
  return new Promise((resolve) => {
    child.once('close', (code, sig) => {
      if (timer !== undefined) clearTimeout(timer);
      spec.signal?.removeEventListener('abort', onAbort);
      resolve({
        exitCode: code,
        signal: sig,
        stdout: out.text(),
        stderr: err.text(),
        timedOut,
        aborted,
      });
    });
  });
}

function attachLines(stream: NodeJS.ReadableStream | null, spec: RunSpec, tail: OutputTail): void {
  if (stream === null) return;
  const level = spec.logLevel ?? 'debug';
  const prefix = spec.logPrefix ?? '';
  const splitter = new LineSplitter((line) => {
    tail.push(line);
    if (spec.logger === undefined || level === 'none') return;
    if (level === 'info') spec.logger.info(prefix + line);
    else spec.logger.debug(prefix + line);
  });
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    splitter.push(chunk);
  });
  stream.on('end', () => {
    splitter.flush();
  });
}

function killTree(child: ChildProcess, group: boolean, sig: NodeJS.Signals): void {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    if (group) process.kill(-pid, sig);
    else child.kill(sig);
  } catch {
    // Already gone: exactly what a kill wants.
  }
}

function translateSpawnError(command: string, err: NodeJS.ErrnoException): PatroniError {
  if (err.code === 'ENOENT') {
    return new PatroniError('PROCESS_FAILED', `program not found: ${command}`, {
      cause: err,
      details: { command, errno: err.code },
    });
  }
  return new PatroniError('PROCESS_FAILED', `can not start ${command}: ${err.message}`, {
    cause: err,
    details: { command, errno: err.code ?? null },
  });
}

/** A short description of how a run ended, for error messages and logs. */
export function describeExit(result: RunResult): string {
  if (result.timedOut) return 'timed out';
  if (result.aborted) return 'was cancelled';
  if (result.signal !== null) return `was killed by ${result.signal}`;
  return `exited with code ${result.exitCode ?? '?'}`;
}
