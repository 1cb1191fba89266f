import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = resolve(fileURLToPath(import.meta.url), '../../../dist');

function mtimeNs(path: string): bigint | null {
  try {
    return statSync(path, { bigint: true }).mtimeNs;
  } catch {
    return null;
  }
}

/**
 * The script `bin/<name>` runs: the one-file bundle (dist/bundle/cli, what ships) unless a tsc
 * build ran after it, then tsc's output (the launchers' rule, so tests run what operators do).
 */
export function builtEntry(name: 'patroni' | 'patronictl'): string {
  const bundle = join(DIST, 'bundle', 'cli', `${name}.js`);
  const bundled = mtimeNs(bundle);
  const tsc = mtimeNs(join(DIST, '.tsbuildinfo'));
  if (bundled !== null && (tsc === null || bundled > tsc)) return bundle;
  return join(DIST, 'cli', `${name}.js`);
}
