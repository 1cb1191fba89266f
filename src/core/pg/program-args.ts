import type { PgOptionList } from './options.js';
import { shlexSplit } from './shlex.js';

export type ArgsResult =
  | { readonly ok: true; readonly args: string[]; readonly skipped: string[] }
  | { readonly ok: false; readonly error: string };

const INITDB_FORBIDDEN = ['pgdata', 'nosync', 'pwfile', 'sync-only', 'version'];
const BASEBACKUP_FORBIDDEN = [
  'pgdata',
  'format',
  'wal-method',
  'xlog-method',
  'gzip',
  'version',
  'compress',
  'dbname',
  'host',
  'port',
  'username',
  'password',
];

function optionText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * `bootstrap.initdb`: `flag` → `--flag`, `{k: v}` → `--k=v`, a map alike. A forbidden option is an
 * error (Patroni aborts the bootstrap), because it would break what Patroni relies on.
 */
export function initdbArgs(options: PgOptionList | undefined): ArgsResult {
  const args: string[] = [];
  for (const [key, value] of optionEntries(options)) {
    if (INITDB_FORBIDDEN.includes(key)) {
      return { ok: false, error: `${key} option for initdb is not allowed` };
    }
    args.push(value === null ? `--${key}` : `--${key}=${optionText(value)}`);
  }
  return { ok: true, args, skipped: [] };
}

/**
 * `postgresql.basebackup`: like initdb, but forbidden options of the list form are skipped (and
 * reported) rather than fatal, as Patroni 3.0.2 does; its map form is not filtered.
 */
export function basebackupArgs(options: PgOptionList | undefined): ArgsResult {
  const args: string[] = [];
  const skipped: string[] = [];
  const isMap = options !== undefined && !Array.isArray(options);
  for (const [key, value] of optionEntries(options)) {
    if (!isMap && BASEBACKUP_FORBIDDEN.includes(key)) {
      skipped.push(key);
      continue;
    }
    args.push(value === null ? `--${key}` : `--${key}=${optionText(value)}`);
  }
  return { ok: true, args, skipped };
}

/** Flattens both option forms into (name, value|null) pairs; null means a bare flag. */
function optionEntries(options: PgOptionList | undefined): [string, unknown][] {
  if (options === undefined) return [];
  if (!Array.isArray(options)) {
    return Object.entries(options as Readonly<Record<string, unknown>>);
  }
  const out: [string, unknown][] = [];
  for (const item of options as readonly unknown[]) {
    if (typeof item === 'string') out.push([item, null]);
    else if (item !== null && typeof item === 'object') {
      for (const [k, v] of Object.entries(item)) out.push([k, v]);
    }
  }
  return out;
}

const NO_PARAMS_DROPPED = ['no_params', 'no_master', 'no_leader', 'keep_data'];

export interface CustomReplicaInput {
  readonly method: string;
  readonly section: Readonly<Record<string, unknown>>;
  readonly scope: string;
  readonly dataDir: string;
  /** libpq dsn of the source, '' when cloning without a leader. */
  readonly connstring: string;
}

/**
 * argv of a custom replica method (spec/core.md §10.4), as Patroni 3.0.2 builds it: the command
 * (default: the method name), then every other key of the section as `--key=value` (special keys
 * included, Python-style `True`), then `--scope --role=replica --datadir --connstring`; with
 * `no_params` only the user's own keys are passed.
 */
export function customReplicaArgs(input: CustomReplicaInput): ArgsResult {
  const command = input.section['command'];
  const argv = shlexSplit(typeof command === 'string' && command !== '' ? command : input.method);
  if (argv === null || argv.length === 0) {
    return { ok: false, error: `can not parse command of replica method ${input.method}` };
  }
  const params = new Map<string, unknown>(
    Object.entries(input.section).filter(([k]) => k !== 'command'),
  );
  if (truthy(input.section['no_params'])) {
    for (const k of NO_PARAMS_DROPPED) params.delete(k);
  } else {
    params.set('scope', input.scope);
    params.set('role', 'replica');
    params.set('datadir', input.dataDir);
    params.set('connstring', input.connstring);
  }
  for (const [key, value] of params) argv.push(`--${key}=${pythonText(value)}`);
  return { ok: true, args: argv, skipped: [] };
}

/** Python's str() of a YAML scalar, since scripts written for Patroni parse `--keep_data=True`. */
function pythonText(value: unknown): string {
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null) return 'None';
  return optionText(value);
}

/** argv of a custom bootstrap method: command + `--scope --datadir` unless `no_params`. */
export function customBootstrapArgs(
  command: string,
  noParams: boolean,
  scope: string,
  dataDir: string,
): ArgsResult {
  const argv = shlexSplit(command);
  if (argv === null || argv.length === 0) {
    return { ok: false, error: `can not parse bootstrap command: ${command}` };
  }
  if (!noParams) argv.push(`--scope=${scope}`, `--datadir=${dataDir}`);
  return { ok: true, args: argv, skipped: [] };
}

/** Patroni reads these YAML flags loosely (true, 'on', 'yes', 1). */
export function truthy(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string')
    return ['true', 'on', 'yes', '1', 'y'].includes(value.toLowerCase());
  return false;
}

/** Methods that may run without a leader (`no_leader`/`no_master`), basebackup never. */
export function canRunWithoutLeader(
  method: string,
  section: Readonly<Record<string, unknown>> | undefined,
): boolean {
  if (method === 'basebackup' || section === undefined) return false;
  return truthy(section['no_leader']) || truthy(section['no_master']);
}
