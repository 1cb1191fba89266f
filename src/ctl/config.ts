import { existsSync, readFileSync, readdirSync, statSync, accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PatroniError } from '../shared/errors.js';
import { DCS_SECTIONS, parseDcsUrl } from './dcs-url.js';

type Section = Record<string, unknown>;

/** How patronictl reaches members' REST APIs (ctl section, falling back to restapi; §1.5). */
export interface RestSettings {
  /** `user:password` for HTTP basic auth, or null. Never logged. */
  readonly auth: string | null;
  readonly cacert: string | null;
  readonly certfile: string | null;
  readonly keyfile: string | null;
  readonly keyfilePassword: string | null;
  readonly insecure: boolean;
}

/** The few parts of patroni.yml / patronictl.yaml patronictl uses. */
export interface CtlConfig {
  /** The whole merged document (DCS section included), as read. */
  readonly raw: Readonly<Section>;
  readonly scope: string | null;
  readonly namespace: string;
  readonly citusGroup: number | null;
  readonly rest: RestSettings;
}

export interface LoadOptions {
  /** `-c`, or PATRONICTL_CONFIG_FILE; null for the default location. */
  readonly configFile: string | null;
  readonly dcsUrl: string | null;
  readonly insecure: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `~/.config/patroni/patronictl.yaml` on Linux (click.get_app_dir). */
  readonly defaultConfigFile: string;
}

function isSection(v: unknown): v is Section {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return existsSync(path);
  } catch {
    return false;
  }
}

function parseFile(path: string): Section {
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    const why = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw new PatroniError('CONFIG_SYNTAX', `invalid config file ${path}: ${why}`);
  }
  if (doc === null || doc === undefined) return {};
  if (!isSection(doc))
    throw new PatroniError('CONFIG_INVALID', `invalid config file ${path}: not a mapping`);
  return doc;
}

/** Deep merge as Patroni's patch_config does for config directories: later files win. */
function merge(base: Section, over: Section): Section {
  const out: Section = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const prev = out[k];
    out[k] = isSection(prev) && isSection(v) ? merge(prev, v) : v;
  }
  return out;
}

/** A file, or a directory whose `*.yml`/`*.yaml` files are merged in name order. */
function readConfigPath(path: string): Section {
  if (!statSync(path).isDirectory()) return parseFile(path);
  return readdirSync(path)
    .filter((f) => /\.ya?ml$/.test(f) && statSync(join(path, f)).isFile())
    .sort()
    .reduce<Section>((acc, f) => merge(acc, parseFile(join(path, f))), {});
}

const ENV_KEYS: readonly [string, string[]][] = [
  ['PATRONI_SCOPE', ['scope']],
  ['PATRONI_NAMESPACE', ['namespace']],
  ['PATRONI_NAME', ['name']],
  ['PATRONI_RESTAPI_USERNAME', ['restapi', 'authentication', 'username']],
  ['PATRONI_RESTAPI_PASSWORD', ['restapi', 'authentication', 'password']],
  ['PATRONI_RESTAPI_CAFILE', ['restapi', 'cafile']],
  ['PATRONI_RESTAPI_CERTFILE', ['restapi', 'certfile']],
  ['PATRONI_RESTAPI_KEYFILE', ['restapi', 'keyfile']],
  ['PATRONI_CTL_USERNAME', ['ctl', 'authentication', 'username']],
  ['PATRONI_CTL_PASSWORD', ['ctl', 'authentication', 'password']],
  ['PATRONI_CTL_INSECURE', ['ctl', 'insecure']],
  ['PATRONI_CTL_CACERT', ['ctl', 'cacert']],
  ['PATRONI_CTL_CERTFILE', ['ctl', 'certfile']],
  ['PATRONI_CTL_KEYFILE', ['ctl', 'keyfile']],
];

const DCS_ENV_FIELDS = [
  'HOST',
  'HOSTS',
  'URL',
  'PROXY',
  'PROTOCOL',
  'USERNAME',
  'PASSWORD',
  'CACERT',
  'CERT',
  'KEY',
];

function setPath(doc: Section, path: readonly string[], value: unknown): Section {
  const [head, ...rest] = path;
  if (head === undefined) return doc;
  const child = doc[head];
  return {
    ...doc,
    [head]: rest.length === 0 ? value : setPath(isSection(child) ? child : {}, rest, value),
  };
}

/** The PATRONI_* variables patronictl honours, layered over the file (env wins, as Patroni). */
function applyEnv(doc: Section, env: LoadOptions['env']): Section {
  let out = doc;
  for (const [name, path] of ENV_KEYS) {
    const v = env[name];
    if (v !== undefined)
      out = setPath(out, path, path[1] === 'insecure' ? /^(true|yes|on|1)$/i.test(v) : v);
  }
  for (const dcs of ['ETCD3', 'ETCD']) {
    for (const field of DCS_ENV_FIELDS) {
      const v = env[`PATRONI_${dcs}_${field}`];
      if (v !== undefined) out = setPath(out, [dcs.toLowerCase(), field.toLowerCase()], v);
    }
  }
  return out;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function restSettings(doc: Section, insecure: boolean): RestSettings {
  const ctl = isSection(doc['ctl']) ? doc['ctl'] : {};
  const restapi = isSection(doc['restapi']) ? doc['restapi'] : {};
  const authOf = (s: Section): string | null => {
    const a = s['authentication'];
    if (!isSection(a)) return null;
    const user = str(a['username']);
    const password = typeof a['password'] === 'string' ? a['password'] : null;
    return user !== null && password !== null ? `${user}:${password}` : null;
  };
  return {
    auth: authOf(ctl) ?? authOf(restapi),
    cacert: str(ctl['cacert']) ?? str(restapi['cafile']),
    certfile: str(ctl['certfile']) ?? str(restapi['certfile']),
    keyfile: str(ctl['keyfile']) ?? str(restapi['keyfile']),
    keyfilePassword: str(ctl['keyfile_password']) ?? str(restapi['keyfile_password']),
    insecure: ctl['insecure'] === true || insecure,
  };
}

/** ctl.py `load_config`: the file (or the silent absence of the default one), env, then `-d`. */
export function loadCtlConfig(options: LoadOptions): CtlConfig {
  const path = options.configFile ?? options.defaultConfigFile;
  let doc: Section = {};
  if (readable(path)) {
    doc = readConfigPath(path);
  } else if (options.configFile !== null && options.configFile !== options.defaultConfigFile) {
    throw new PatroniError(
      'CONFIG_NOT_FOUND',
      `Provided config file ${options.configFile} not existing or no read rights. Check the -c/--config-file parameter`,
    );
  }
  doc = applyEnv(doc, options.env);
  if (options.dcsUrl !== null) {
    const parsed = parseDcsUrl(options.dcsUrl);
    for (const d of DCS_SECTIONS) Reflect.deleteProperty(doc, d);
    doc = { ...doc, ...parsed.section };
    if (parsed.namespace !== null) doc = { ...doc, namespace: parsed.namespace };
  }
  const citus = doc['citus'];
  const group = isSection(citus) ? citus['group'] : undefined;
  return {
    raw: doc,
    scope: str(doc['scope']) ?? (typeof doc['scope'] === 'number' ? String(doc['scope']) : null),
    namespace: str(doc['namespace']) ?? '/service/',
    citusGroup: typeof group === 'number' && Number.isInteger(group) ? group : null,
    rest: restSettings(doc, options.insecure),
  };
}

/** `loop_wait` for messages, from the dynamic config first (as patronictl does), else local. */
export function loopWaitOf(
  dynamic: Readonly<Record<string, unknown>> | undefined,
  config: CtlConfig,
): number {
  const v = dynamic?.['loop_wait'] ?? config.raw['loop_wait'];
  return typeof v === 'number' ? v : 10;
}
