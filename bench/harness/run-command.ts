import { spawn } from 'node:child_process';

export interface CommandResult {
  readonly code: number | null;
  readonly seconds: number;
  readonly output: string;
}

/** Runs argv to completion (killed after timeoutMs), timing it from spawn to exit. */
export function runCommand(argv: readonly string[], timeoutMs: number): Promise<CommandResult> {
  const [cmd, ...args] = argv;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd ?? '', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, seconds: (performance.now() - started) / 1000, output });
    });
  });
}
