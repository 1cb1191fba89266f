/**
 * Raw mapping -> `PatroniConfig`, or one `PatroniError('CONFIG_INVALID')` listing every problem
 * in Patroni's validator wording. Unknown keys and conflicting tags are warnings, not failures.
 */
import { isRecord } from '../core/config/values.js';
import { PatroniError } from '../shared/errors.js';
import { formatIssues } from './issues.js';
import { upgradeLegacyLayout } from './legacy.js';
import { patroniConfigSchema, type PatroniConfig } from './schema.js';
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

/** Never throws: for `--validate-config`, which reports everything it finds. */
export function checkConfig(raw: unknown): ConfigCheck {
  if (!isRecord(raw) || Object.keys(raw).length === 0) {
    return { config: null, problems: ['Config is empty.'], warnings: [] };
  }
  const upgraded = upgradeLegacyLayout(raw);
  const result = patroniConfigSchema.safeParse(upgraded);
  const warnings = unknownKeys(patroniConfigSchema, upgraded, isMethodSection(upgraded)).map(
    (path) => `Unknown configuration key ${path} is ignored`,
  );
  if (!result.success) {
    return { config: null, problems: formatIssues(result.error.issues, upgraded), warnings };
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

/** Custom bootstrap and replica method sections have operator-chosen names. */
function isMethodSection(raw: Readonly<Record<string, unknown>>) {
  const bootstrap = isRecord(raw['bootstrap']) ? raw['bootstrap'] : {};
  const pg = isRecord(raw['postgresql']) ? raw['postgresql'] : {};
  const methods = new Set<string>();
  for (const value of [pg['create_replica_methods'], pg['create_replica_method']]) {
    if (typeof value === 'string') value.split(',').forEach((m) => methods.add(m.trim()));
    if (Array.isArray(value)) value.forEach((m) => methods.add(String(m)));
  }
  return (path: readonly string[]): boolean => {
    if (path.length < 2) return false;
    const [top, key] = path;
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
