/**
 * Schema of the dynamic configuration: the JSON in the DCS `config` key and the local
 * `bootstrap.dcs` section that seeds it (spec/surface.md §1.13, spec/core.md §1.2). Unknown keys
 * are kept: Patroni stores them and other versions may understand them.
 */
import { z } from 'zod';
import { isRecord } from '../core/config/values.js';
import type { DynamicConfig } from '../core/config/types.js';
import { PatroniError } from '../shared/errors.js';
import { anyDict, bool, dict, emptyIsNone, int, list, scalar, section, str } from './fields.js';
import { formatIssues } from './issues.js';

const standbyClusterSchema = section({
  // Kept as written (a comma list string or a list): this object is published in the DCS and
  // Python Patroni peers read it back.
  host: z.union([str(), list(str())]).optional(),
  port: int({ min: 1, max: 65535 }).optional(),
  primary_slot_name: str().optional(),
  create_replica_methods: list(str()).optional(),
  restore_command: str().optional(),
  archive_cleanup_command: str().optional(),
  recovery_min_apply_delay: z.union([z.string(), z.number()]).optional(),
});

const dynamicPostgresqlSchema = section({
  use_slots: bool().optional(),
  use_pg_rewind: bool().optional(),
  parameters: emptyIsNone(dict(scalar().nullable())),
  pg_hba: list(str()).optional(),
  pg_ident: list(str()).optional(),
  recovery_conf: dict(scalar()).optional(),
  pg_ctl_timeout: int({ min: 0 }).optional(),
  remove_data_directory_on_rewind_failure: bool().optional(),
  remove_data_directory_on_diverged_timelines: bool().optional(),
});

export const dynamicConfigSchema = section({
  ttl: int().optional(),
  loop_wait: int().optional(),
  retry_timeout: int().optional(),
  maximum_lag_on_failover: int().optional(),
  maximum_lag_on_syncnode: int({ min: -1 }).optional(),
  max_timelines_history: int({ min: 0 }).optional(),
  primary_start_timeout: int({ min: 0 }).optional(),
  primary_stop_timeout: int({ min: 0 }).optional(),
  master_start_timeout: int({ min: 0 }).optional(),
  master_stop_timeout: int({ min: 0 }).optional(),
  synchronous_mode: bool().optional(),
  synchronous_mode_strict: bool().optional(),
  synchronous_node_count: int({ min: 1 }).optional(),
  failsafe_mode: bool().optional(),
  check_timeline: bool().optional(),
  pause: bool().nullable().optional(),
  member_slots_ttl: int({ min: 0, unit: 's' }).optional(),
  primary_race_backoff: int({ min: 0 }).optional(),
  postgresql: emptyIsNone(dynamicPostgresqlSchema),
  standby_cluster: standbyClusterSchema.nullable().optional(),
  slots: anyDict().nullable().optional(),
  permanent_slots: anyDict().nullable().optional(),
  permanent_replication_slots: anyDict().nullable().optional(),
  ignore_slots: list(anyDict()).nullable().optional(),
});

export type DynamicConfigInput = z.input<typeof dynamicConfigSchema>;

// Compile-time proof that the parsed value is what the pure merge expects.
const asDynamic = (value: z.output<typeof dynamicConfigSchema>): DynamicConfig => value;

export interface ParsedDynamicConfig {
  readonly config: DynamicConfig;
  /** One Patroni-style line per value that was dropped because it was invalid. */
  readonly problems: readonly string[];
}

/**
 * Reads the DCS `config` value. A bad value does not poison the rest: it is dropped (with a
 * problem line to log) and its default applies, where 3.0.2 would reject the whole document.
 */
export function parseDynamicConfig(value: unknown): ParsedDynamicConfig {
  if (!isRecord(value)) {
    return { config: {}, problems: ['config is not a dictionary'] };
  }
  const first = dynamicConfigSchema.safeParse(value);
  if (first.success) return { config: asDynamic(first.data), problems: [] };
  const problems = formatIssues(first.error.issues, value);
  const cleaned = dropInvalid(value, first.error.issues);
  const second = dynamicConfigSchema.safeParse(cleaned);
  return { config: second.success ? asDynamic(second.data) : {}, problems };
}

/** Parses the DCS `config` JSON text (as stored), or throws CONFIG_INVALID. */
export function parseDynamicConfigText(text: string): ParsedDynamicConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new PatroniError('CONFIG_INVALID', `config key is not valid JSON: ${String(e)}`, {
      cause: e,
    });
  }
  return parseDynamicConfig(value);
}

/** A deep copy of `value` without the leaves the issues point at. */
function dropInvalid(
  value: Readonly<Record<string, unknown>>,
  issues: readonly { path: readonly PropertyKey[] }[],
): Record<string, unknown> {
  const copy = structuredClone(value) as Record<string, unknown>;
  for (const issue of issues) {
    let node: unknown = copy;
    const path = issue.path;
    for (let i = 0; i < path.length - 1 && isRecord(node); i++) {
      node = (node as Record<PropertyKey, unknown>)[path[i] as PropertyKey];
    }
    const last = path[path.length - 1];
    if (last !== undefined && isRecord(node)) {
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- removing one invalid key
      delete (node as Record<PropertyKey, unknown>)[last];
    }
  }
  return copy;
}
