/** Runs the built `bin/patronictl` of this checkout, as an operator would. */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(fileURLToPath(import.meta.url), '../../..');
const PATRONICTL = join(REPO, 'bin', 'patronictl');

export interface CtlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function patronictl(
  configPath: string,
  args: readonly string[],
  timeoutMs = 120_000,
): Promise<CtlResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(PATRONICTL, ['-c', configPath, ...args], { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Like patronictl() but fails with its output when the exit code is not 0. */
export async function patronictlOk(configPath: string, args: readonly string[]) {
  const r = await patronictl(configPath, args);
  if (r.code !== 0) {
    throw new Error(`patronictl ${args.join(' ')} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

export type ListRow = Readonly<Record<string, string | number | undefined>>;

/** `patronictl list -f json`: one object per member, keyed by Patroni's column titles. */
export async function listMembers(configPath: string, scope: string): Promise<ListRow[]> {
  const out = await patronictlOk(configPath, ['list', scope, '-f', 'json']);
  return JSON.parse(out) as ListRow[];
}

/**
 * `patronictl switchover <scope> --leader <from> --candidate <to> --force` with the config at
 * `configPath`; it must exit 0 and say it switched over to `to`.
 */
export async function switchoverOk(
  configPath: string,
  scope: string,
  from: string,
  to: string,
): Promise<void> {
  const out = await patronictlOk(configPath, [
    'switchover',
    scope,
    '--leader',
    from,
    '--candidate',
    to,
    '--force',
  ]);
  if (!new RegExp(`Successfully switched over to "${to}"`).test(out)) {
    throw new Error(`patronictl switchover did not say it switched over to ${to}:\n${out}`);
  }
}
