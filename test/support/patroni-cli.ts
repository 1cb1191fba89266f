import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const PATRONI = join(ROOT, 'bin/patroni');

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** One run of the built CLI; `spawnError` is set when the OS could not start it at all. */
function runOnce(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<RunResult & { spawnError: boolean }> {
  const cleanEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('PATRONI_')) cleanEnv[k] = v;
  }
  return new Promise((done) => {
    execFile(
      PATRONI,
      [...args],
      { env: { ...cleanEnv, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        // A spawn failure or a signal has no exit code: keep its story for the assertion message.
        const why =
          err !== null && code === -1
            ? `[${String(err.code)} ${String(err.signal)}] ${err.message}\n`
            : '';
        // Typed as a number, but a failed spawn puts the errno name (EAGAIN, ...) there.
        const errno: unknown = err?.code;
        const spawnError = typeof errno === 'string' && err?.signal == null;
        done({ code, stdout, stderr: why + stderr, spawnError });
      },
    );
  });
}

/**
 * Runs ./bin/patroni. On a machine shared by several test runs, fork can fail (EAGAIN); that is
 * the machine, not the program, so only that case is retried, a few times.
 */
export async function runPatroni(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<RunResult> {
  for (let attempt = 1; ; attempt++) {
    const result = await runOnce(args, env);
    if (!result.spawnError || attempt === 3) return result;
    await new Promise((r) => setTimeout(r, 500 * attempt));
  }
}
