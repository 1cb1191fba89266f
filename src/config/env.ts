/**
 * The `PATRONI_*` environment layer (surface.md §1.15, patroni/config.py
 * `_build_environment_configuration`). The environment comes in as a parameter: this module
 * never touches process.env, so tests pass their own and the caller decides what to scrub.
 */
import { parseBool, parseIntValue } from '../core/config/values.js';
import { DCS_SUFFIX_KINDS, KEY_KINDS, SECTION_KEYS, type Kind } from './env-tables.js';
import { AUTH_KEYS, PG_PROGRAMS } from './schema-postgresql.js';
import { parseYamlValue } from './yaml.js';

export type Env = Readonly<Record<string, string | undefined>>;

const PREFIX = 'PATRONI_';

/** YAML flow text, wrapped the way Patroni wraps it; undefined when it does not parse. */
function parseList(value: string): unknown[] | undefined {
  const text = value.trim().startsWith('-') || value.includes('[') ? value : `[${value}]`;
  const parsed = parseYamlValue(text);
  return Array.isArray(parsed) ? parsed : undefined;
}

function parseDict(value: string): Record<string, unknown> | undefined {
  const text = value.trim().startsWith('{') ? value : `{${value}}`;
  const parsed = parseYamlValue(text);
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : undefined;
}

function convert(value: string, kind: Kind | 'str'): unknown {
  switch (kind) {
    case 'str':
      return value;
    case 'bool':
      return parseBool(value);
    case 'int':
      return parseIntValue(value);
    case 'list':
      return parseList(value);
    case 'dict':
      return parseDict(value);
  }
}

/** What the environment contributes, and which variables it used (to scrub from children). */
export interface EnvConfig {
  readonly config: Record<string, unknown>;
  readonly consumed: readonly string[];
}

class Builder {
  readonly config: Record<string, unknown> = {};
  readonly consumed = new Set<string>();
  constructor(private readonly env: Env) {}

  take(name: string): string | undefined {
    const key = PREFIX + name.toUpperCase();
    const value = this.env[key];
    if (value === undefined) return undefined;
    this.consumed.add(key);
    return value === '' ? undefined : value;
  }

  section(name: string): Record<string, unknown> {
    const existing = this.config[name];
    if (typeof existing === 'object' && existing !== null)
      return existing as Record<string, unknown>;
    const created: Record<string, unknown> = {};
    this.config[name] = created;
    return created;
  }

  set(section: string, key: string, value: unknown): void {
    if (value !== undefined && value !== null) this.section(section)[key] = value;
  }
}

export function buildEnvConfig(env: Env): EnvConfig {
  const b = new Builder(env);
  for (const key of ['name', 'namespace', 'scope']) {
    const value = b.take(key);
    if (value !== undefined) b.config[key] = value;
  }
  applyLegacyLogNames(b, env);
  for (const [section, keys] of Object.entries(SECTION_KEYS)) {
    for (const key of keys) {
      const value = b.take(`${section}_${key}`);
      if (value === undefined) continue;
      const kind = KEY_KINDS[`${section}.${key}`];
      const converted = kind === undefined ? value : convert(value, kind);
      const isFormatList = section === 'log' && key === 'format' && !value.includes('%(');
      b.set(section, key, isFormatList ? (parseList(value) ?? value) : converted);
    }
  }
  applyBinNames(b);
  applyAuthentication(b);
  applyDcsSections(b, env);
  applyBootstrapUsers(b, env);
  return { config: b.config, consumed: [...b.consumed].sort() };
}

/** PATRONI_LOGLEVEL, PATRONI_LOGFORMAT, PATRONI_LOG_DATEFMT: older spellings. */
function applyLegacyLogNames(b: Builder, env: Env): void {
  const legacy: [string, string][] = [
    ['LOGLEVEL', 'LOG_LEVEL'],
    ['LOGFORMAT', 'LOG_FORMAT'],
    ['LOG_DATEFMT', 'LOG_DATEFORMAT'],
  ];
  for (const [old, current] of legacy) {
    const value = b.take(old);
    if (value !== undefined && env[PREFIX + current] === undefined) {
      b.set('log', current.slice(4).toLowerCase(), value);
    }
  }
}

function applyBinNames(b: Builder): void {
  for (const program of PG_PROGRAMS) {
    const value = b.take(`POSTGRESQL_BIN_${program}`);
    if (value === undefined) continue;
    const pg = b.section('postgresql');
    const names = (pg['bin_name'] ?? {}) as Record<string, unknown>;
    names[program] = value;
    pg['bin_name'] = names;
  }
}

function auth(b: Builder, prefix: string, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = b.take(`${prefix}_${key}`);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function applyAuthentication(b: Builder): void {
  for (const section of ['restapi', 'ctl']) {
    const credentials = auth(b, section, ['username', 'password']);
    if (Object.keys(credentials).length > 0) b.set(section, 'authentication', credentials);
  }
  const users: Record<string, Record<string, string>> = {};
  for (const kind of ['replication', 'superuser', 'rewind']) {
    const entry = auth(b, kind, AUTH_KEYS);
    if (Object.keys(entry).length > 0) users[kind] = entry;
  }
  if (Object.keys(users).length > 0) b.set('postgresql', 'authentication', users);
}

function applyDcsSections(b: Builder, env: Env): void {
  for (const key of Object.keys(env).sort()) {
    if (!key.startsWith(PREFIX) || b.consumed.has(key)) continue;
    const rest = key.slice(PREFIX.length);
    const cut = rest.indexOf('_');
    if (cut <= 0) continue;
    const name = rest.slice(0, cut);
    const suffix = rest.slice(cut + 1);
    const kind = DCS_SUFFIX_KINDS[suffix];
    if (kind === undefined) continue;
    if (name === 'CITUS' && suffix !== 'GROUP' && suffix !== 'DATABASE') continue;
    const raw = env[key] ?? '';
    b.consumed.add(key);
    if (raw === '') continue;
    b.set(name.toLowerCase(), suffix.toLowerCase(), convert(raw, kind));
  }
  for (const dcs of ['etcd', 'etcd3']) {
    if (b.config[dcs] === undefined) continue;
    Object.assign(b.section(dcs), auth(b, dcs, ['username', 'password']));
  }
}

/** PATRONI_<user>_PASSWORD / _OPTIONS: users created at bootstrap (3.x only). */
function applyBootstrapUsers(b: Builder, env: Env): void {
  const users: Record<string, Record<string, unknown>> = {};
  for (const key of Object.keys(env).sort()) {
    if (!key.startsWith(PREFIX) || b.consumed.has(key) || !key.endsWith('_PASSWORD')) continue;
    const name = key.slice(PREFIX.length, -'_PASSWORD'.length);
    const password = env[key] ?? '';
    b.consumed.add(key);
    if (name === '' || password === '') continue;
    const user: Record<string, unknown> = { password };
    const optionsKey = `${PREFIX}${name}_OPTIONS`;
    const options = env[optionsKey];
    if (options !== undefined) {
      b.consumed.add(optionsKey);
      const list = parseList(options);
      if (list !== undefined && list.length > 0) user['options'] = list;
    }
    users[name] = user;
  }
  if (Object.keys(users).length > 0) b.set('bootstrap', 'users', users);
}
