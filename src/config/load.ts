/**
 * Where the local configuration comes from (surface.md §1.1): a file, or a directory of
 * *.yml/*.yaml merged in sorted order, with `PATRONI_*` variables merged on top; else the YAML
 * text in `PATRONI_CONFIGURATION` (alone); else the variables alone. The environment is a
 * parameter, captured once: a reload re-reads the files with the environment of startup.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isRecord } from '../core/config/values.js';
import { PatroniError, errorMessage } from '../shared/errors.js';
import { buildEnvConfig, type Env } from './env.js';
import { deepMerge } from './merge-raw.js';
import { parseConfig } from './parse.js';
import type { PatroniConfig } from './schema.js';
import { parseYamlText } from './yaml.js';

export type ConfigSourceKind = 'file' | 'directory' | 'environment-yaml' | 'environment';

export interface RawConfig {
  /** The merged mapping before the schema: file(s) + environment. */
  readonly raw: Record<string, unknown>;
  readonly source: ConfigSource;
}

export interface LoadedConfig {
  readonly config: PatroniConfig;
  /** Sentences to log at WARNING (unknown keys, conflicting tags). */
  readonly warnings: readonly string[];
  readonly source: ConfigSource;
}

/** Lets the daemon re-read its configuration (SIGHUP, POST /reload) exactly as at startup. */
export interface ConfigSource {
  readonly kind: ConfigSourceKind;
  /** The file or directory; null when the configuration came from the environment. */
  readonly path: string | null;
  /** `PATRONI_*` variables that were read: keep them out of PostgreSQL's and callbacks' env. */
  readonly consumedEnv: readonly string[];
  readRaw(): Promise<Record<string, unknown>>;
  load(): Promise<LoadedConfig>;
}

const CONFIG_VARIABLE = 'PATRONI_CONFIGURATION';

export async function readConfigFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new PatroniError(
      'CONFIG_NOT_FOUND',
      `cannot read config file ${path}: ${errorMessage(e)}`,
      {
        cause: e,
      },
    );
  }
  return parseYamlText(text, path);
}

async function readDirectory(dir: string): Promise<Record<string, unknown>> {
  const names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  let merged: Record<string, unknown> = {};
  for (const name of names) {
    const path = join(dir, name);
    if (!(await stat(path)).isFile()) continue;
    const value = await readConfigFile(path);
    if (value === null || value === undefined) continue;
    if (!isRecord(value)) {
      throw new PatroniError('CONFIG_INVALID', `invalid config file ${path}: not a mapping`);
    }
    merged = deepMerge(merged, value);
  }
  return merged;
}

async function readPath(
  path: string,
): Promise<{ kind: ConfigSourceKind; raw: Record<string, unknown> }> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (e) {
    throw new PatroniError('CONFIG_NOT_FOUND', `config file ${path} does not exist`, { cause: e });
  }
  if (isDir) return { kind: 'directory', raw: await readDirectory(path) };
  const value = await readConfigFile(path);
  if (value === null || value === undefined) return { kind: 'file', raw: {} };
  if (!isRecord(value)) {
    throw new PatroniError('CONFIG_INVALID', `invalid config file ${path}: not a mapping`);
  }
  return { kind: 'file', raw: value };
}

function envYaml(text: string): Record<string, unknown> {
  const value = parseYamlText(text, CONFIG_VARIABLE);
  if (value === null || value === undefined) return {};
  if (!isRecord(value)) {
    throw new PatroniError('CONFIG_INVALID', `invalid ${CONFIG_VARIABLE}: not a mapping`);
  }
  return value;
}

/**
 * Builds the source without reading files yet. A path that does not exist is an error (Patroni
 * would silently fall back to the environment, which hides typos in unit files).
 */
export function configSource(path: string | undefined, env: Env): ConfigSource {
  const captured: Env = { ...env };
  const envLayer = buildEnvConfig(captured);
  const yamlText = captured[CONFIG_VARIABLE];
  const kind: ConfigSourceKind =
    path !== undefined ? 'file' : yamlText !== undefined ? 'environment-yaml' : 'environment';
  const consumedEnv = kind === 'environment-yaml' ? [CONFIG_VARIABLE] : [...envLayer.consumed];
  let resolvedKind: ConfigSourceKind = kind;
  const source: ConfigSource = {
    get kind() {
      return resolvedKind;
    },
    path: path ?? null,
    consumedEnv,
    async readRaw() {
      if (path !== undefined) {
        const fromPath = await readPath(path);
        resolvedKind = fromPath.kind;
        return deepMerge(fromPath.raw, envLayer.config);
      }
      if (yamlText !== undefined) return envYaml(yamlText);
      return envLayer.config;
    },
    async load() {
      const raw = await source.readRaw();
      const origin = path === undefined ? 'configuration from the environment' : `config ${path}`;
      const parsed = parseConfig(raw, origin);
      return { config: parsed.config, warnings: parsed.warnings, source };
    },
  };
  return source;
}

/** Reads and checks the local configuration once. */
export async function loadConfig(path: string | undefined, env: Env): Promise<LoadedConfig> {
  return configSource(path, env).load();
}
