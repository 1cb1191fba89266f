/**
 * Raw mapping -> `PatroniConfig`, or one `PatroniError('CONFIG_INVALID')` listing every problem
 * in Patroni's validator wording. Unknown keys and conflicting tags are warnings, not failures.
 */
import { isRecord } from '../core/config/values.js';
import { PatroniError } from '../shared/errors.js';
import { formatIssues } from './issues.js';
import { upgradeLegacyLayout } from './legacy.js';
import { missingDcsLines, patroniConfigSchema, type PatroniConfig } from './schema.js';
import { unknownKeys } from './unknown-keys.js';

export interface ParsedConfig {
  readonly config: PatroniConfig;
  /** Sentences to log at WARNING. */
  readonly warnings: readonly string[];
}

export interface ConfigCheck {
  readonly config: PatroniConfig | null;
  /** `<path> <value> <message>` lines; empty when valid. */
  readonly problems: readonly string[];
  readonly warnings: readonly string[];
}

export interface CheckOptions {
  /**
   * `--validate-config` runs the schema even on an empty config, so every required key is
   * reported as not defined; the daemon says `Config is empty.` instead (both as Patroni).
   */
  readonly listMissingWhenEmpty?: boolean;
}

/** Never throws: for `--validate-config`, which reports everything it finds. */
export function checkConfig(raw: unknown, options: CheckOptions = {}): ConfigCheck {
  const empty = !isRecord(raw) || Object.keys(raw).length === 0;
  if (empty && options.listMissingWhenEmpty !== true) {
    return { config: null, problems: ['Config is empty.'], warnings: [] };
  }
  const upgraded = upgradeLegacyLayout(isRecord(raw) ? raw : {});
  const result = patroniConfigSchema.safeParse(upgraded);
  const warnings = unknownKeys(patroniConfigSchema, upgraded, quietKeys(upgraded)).map(
    (path) => `Unknown configuration key ${path} is ignored`,
  );
  if (!result.success) {
    const problems = withDcsLines(formatIssues(result.error.issues, upgraded), upgraded);
    return { config: null, problems, warnings };
  }
  return {
    config: result.data,
    problems: [],
    warnings: [...warnings, ...tagWarnings(result.data)],
  };
}

/** Throws `CONFIG_INVALID` (details.problems holds every line) when the config is not usable. */
export function parseConfig(raw: unknown, origin = 'configuration'): ParsedConfig {
  const check = checkConfig(raw);
  if (check.config === null) {
    const problems = check.problems;
    const message =
      problems.length === 1 && problems[0] === 'Config is empty.'
        ? 'Config is empty.'
        : `invalid ${origin}:\n${problems.map((p) => `  ${p}`).join('\n')}`;
    throw new PatroniError('CONFIG_INVALID', message, { details: { problems } });
  }
  return { config: check.config, warnings: check.warnings };
}

/** Adds the missing-DCS lines (once) where Patroni prints them: before postgresql and later keys. */
function withDcsLines(problems: string[], raw: Readonly<Record<string, unknown>>): string[] {
  const dcs = missingDcsLines(raw).filter((line) => !problems.includes(line));
  if (dcs.length === 0) return problems;
  const later = /^(citus|postgresql|watchdog|tags|namespace|log|ctl)[. ]/;
  const at = problems.findIndex((p) => later.test(p));
  const i = at < 0 ? problems.length : at;
  return [...problems.slice(0, i), ...dcs, ...problems.slice(i)];
}

/** Sections we only type-check loosely: their other keys are Patroni's, not typos. */
const LOOSE_SECTIONS = new Set([
  'consul',
  'zookeeper',
  'kubernetes',
  'exhibitor',
  'raft',
  'citus',
  // Any other tag is a custom tag, published as is.
  'tags',
]);

/**
 * Keys not to warn about: custom bootstrap and replica method sections (operator-chosen names),
 * loosely checked DCS sections, and `bootstrap.dcs.postgresql`, which may hold any local key.
 */
function quietKeys(raw: Readonly<Record<string, unknown>>) {
  const bootstrap = isRecord(raw['bootstrap']) ? raw['bootstrap'] : {};
  const pg = isRecord(raw['postgresql']) ? raw['postgresql'] : {};
  const methods = new Set<string>();
  // A standby cluster's methods (bootstrap.dcs.standby_cluster) also name postgresql sections.
  const dcs = isRecord(bootstrap['dcs']) ? bootstrap['dcs'] : {};
  const standby = isRecord(dcs['standby_cluster']) ? dcs['standby_cluster'] : {};
  const named = [pg['create_replica_methods'], pg['create_replica_method']];
  for (const value of [...named, standby['create_replica_methods']]) {
    if (typeof value === 'string') value.split(',').forEach((m) => methods.add(m.trim()));
    if (Array.isArray(value)) value.forEach((m) => methods.add(String(m)));
  }
  return (path: readonly string[]): boolean => {
    if (path.length < 2) return false;
    const [top, key, third] = path;
    if (top !== undefined && LOOSE_SECTIONS.has(top)) return true;
    if (top === 'bootstrap' && key === 'dcs') return third === 'postgresql' && path.length === 4;
    if (top === 'bootstrap') return key === bootstrap['method'];
    if (top === 'postgresql') return key !== undefined && methods.has(key);
    return false;
  };
}

function tagWarnings(config: PatroniConfig): string[] {
  const tags = config.tags;
  if (tags?.nofailover === undefined || tags.failover_priority === undefined) return [];
  if (tags.nofailover === tags.failover_priority <= 0) return [];
  return [
    `Conflicting configuration between nofailover: ${tags.nofailover ? 'True' : 'False'} and ` +
      `failover_priority: ${tags.failover_priority}. Defaulting to nofailover: ` +
      (tags.nofailover ? 'True' : 'False'),
  ];
}
