import { accessSync, constants } from 'node:fs';
import { configSource } from '../config/load.js';
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
    return true;
  } catch {
    return false;
  }
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

/**
 * ctl.py `load_config`: the daemon's loader without validation (file or directory, `PATRONI_*`
 * on top; the environment alone when the default file is absent), then `-d` replaces the DCS.
 */
export async function loadCtlConfig(options: LoadOptions): Promise<CtlConfig> {
  const path = options.configFile ?? options.defaultConfigFile;
  let doc: Section;
  if (readable(path)) {
    doc = await configSource(path, options.env).readRaw();
  } else if (options.configFile !== null && options.configFile !== options.defaultConfigFile) {
    throw new PatroniError(
      'CONFIG_NOT_FOUND',
      `Provided config file ${options.configFile} not existing or no read rights. Check the -c/--config-file parameter`,
    );
  } else {
    doc = await configSource(undefined, options.env).readRaw();
  }
  if (options.dcsUrl !== null) {
    const parsed = parseDcsUrl(options.dcsUrl);
    doc = Object.fromEntries(Object.entries(doc).filter(([k]) => !DCS_SECTIONS.includes(k)));
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
