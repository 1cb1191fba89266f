import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseYamlText } from '../../config/yaml.js';
import type { CtlContext } from '../context.js';
import { clusterNameOf, ctlFailure } from '../context.js';
import { unifiedDiff } from '../render/difflib.js';
import { pyJsonDumps } from '../render/pyjson.js';
import { safeDump } from '../render/pyyaml.js';
import { pyStr } from '../render/output.js';

type Config = Record<string, unknown>;

export interface EditConfigOptions {
  readonly clusterName: string | undefined;
  readonly force: boolean;
  readonly quiet: boolean;
  readonly set: readonly string[];
  readonly pg: readonly string[];
  readonly apply: string | null;
  readonly replace: string | null;
  /** Edits the text in an editor and returns the result (EDITOR in production). */
  readonly editor?: (text: string, clusterName: string) => string;
  /** Reads a file given to --apply/--replace (not `-`). */
  readonly readFile?: (path: string) => string;
}

function isMap(v: unknown): v is Config {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** PyYAML safe_load (YAML 1.1 scalars: `on`, `yes`, octal `0755`), with the daemon's YAML reader. */
export function loadYaml(text: string, where: string): unknown {
  return parseYamlText(text, where);
}

/** Patroni's `patch_config`: null deletes, maps merge, other values replace. */
export function patchConfig(config: Config, patch: Config): void {
  for (const [name, value] of Object.entries(patch)) {
    const current = config[name];
    if (value === null) Reflect.deleteProperty(config, name);
    else if (isMap(value) && isMap(current)) patchConfig(current, value);
    else if (!(name in config) || isMap(value) || pyStr(current) !== pyStr(value))
      config[name] = value;
  }
}

/** `-s a.b.c=value`; under postgresql.parameters the rest of the path is one GUC name. */
export function applyKvPairs(data: Config, pairs: readonly string[]): void {
  const setPath = (
    config: Config,
    path: readonly string[],
    value: unknown,
    prefix: readonly string[],
  ): void => {
    let p = path;
    if (prefix.length === 2 && prefix[0] === 'postgresql' && prefix[1] === 'parameters')
      p = [path.join('.')];
    const [key, ...rest] = p;
    if (key === undefined) return;
    if (rest.length === 0) {
      if (value === null) Reflect.deleteProperty(config, key);
      else config[key] = value;
      return;
    }
    const child = config[key];
    const next: Config = isMap(child) ? child : {};
    config[key] = next;
    setPath(next, rest, value, [...prefix, key]);
    if (Object.keys(next).length === 0) Reflect.deleteProperty(config, key);
  };
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (pair === '' || eq === -1) throw ctlFailure(`Invalid parameter setting ${pair}`);
    const value = loadYaml(pair.slice(eq + 1), `value of ${pair.slice(0, eq)}`);
    setPath(data, pair.slice(0, eq).trim().split('.'), value ?? null, []);
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isMap(v)) return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sortKeys(v[k])]),
  );
}

/** Runs $EDITOR (or editor, vi) on a temp file `<cluster>-config-XXXX.yaml`. */
export function runEditor(text: string, clusterName: string): string {
  const candidates = [process.env['EDITOR'], 'editor', 'vi'].filter(
    (e): e is string => e !== undefined && e !== '',
  );
  const dir = mkdtempSync(join(tmpdir(), `${clusterName}-config-`));
  const file = join(dir, `${clusterName}-config.yaml`);
  try {
    writeFileSync(file, text, { mode: 0o600 });
    for (const editor of candidates) {
      const r = spawnSync(editor, [file], { stdio: 'inherit', shell: editor.includes(' ') });
      if (r.error !== undefined) continue;
      if (r.status !== 0) throw ctlFailure(`Editor exited with return code ${r.status ?? 1}`);
      return readFileSync(file, 'utf8');
    }
    throw ctlFailure('EDITOR environment variable is not set. editor or vi are not available');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function fileText(ctx: CtlContext, opts: EditConfigOptions, name: string): Promise<string> {
  if (name === '-') return ctx.io.readAll();
  try {
    return (opts.readFile ?? ((p: string) => readFileSync(p, 'utf8')))(name);
  } catch {
    throw ctlFailure(`Could not read ${name}`);
  }
}

function asConfig(v: unknown, where: string): Config {
  if (v === null || v === undefined) return {};
  if (!isMap(v)) throw ctlFailure(`${where} must hold a YAML mapping`);
  return v;
}

/** `patronictl edit-config` (§3.11): change, show the diff, confirm, write with CAS. */
export async function editConfigCommand(ctx: CtlContext, opts: EditConfigOptions): Promise<void> {
  const name = clusterNameOf(ctx, opts.clusterName);
  const dcs = await ctx.openDcs(name);
  const cluster = await dcs.getCluster();
  const original = cluster.config?.data ?? {};
  const before = safeDump(original);
  let changed: Config = structuredClone(original);
  let after: string | null = null;
  if (opts.replace !== null) {
    changed = asConfig(
      loadYaml(await fileText(ctx, opts, opts.replace), opts.replace),
      opts.replace,
    );
    after = safeDump(changed);
  }
  if (opts.apply !== null) {
    patchConfig(
      changed,
      asConfig(loadYaml(await fileText(ctx, opts, opts.apply), opts.apply), opts.apply),
    );
    after = safeDump(changed);
  }
  if (opts.set.length > 0 || opts.pg.length > 0) {
    applyKvPairs(changed, [
      ...opts.set,
      ...opts.pg.map((p) => `postgresql.parameters.${p.trimStart()}`),
    ]);
    after = safeDump(changed);
  }
  if (after === null) {
    after = (opts.editor ?? runEditor)(before, name);
    changed = asConfig(loadYaml(after, 'the edited configuration'), 'the edited configuration');
  }
  if (deepEqual(original, changed)) {
    if (!opts.quiet) ctx.io.out('Not changed');
    return;
  }
  if (!opts.quiet) for (const line of unifiedDiff(before, after)) ctx.io.out(line);
  if ((opts.apply === '-' || opts.replace === '-') && !opts.force) {
    ctx.io.out('Use --force option to apply changes');
    return;
  }
  if (opts.force || (await ctx.io.confirm('Apply these changes?'))) {
    const index = cluster.config?.index;
    const ok = await dcs.setConfigValue(
      pyJsonDumps(changed),
      index === undefined || index === 0 ? undefined : index,
    );
    if (!ok) throw ctlFailure('Config modification aborted due to concurrent changes');
    ctx.io.out('Configuration changed');
  }
}
