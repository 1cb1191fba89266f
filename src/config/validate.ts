/**
 * `patroni --validate-config`: the schema plus the live checks, every problem as one
 * `<path> <value> <message>` line (surface.md §1.16). The caller prints and picks the exit code.
 */
import { isRecord } from '../core/config/values.js';
import { checkConfig } from './parse.js';
import { inPatroniOrder } from './problem-order.js';
import type { PatroniConfig } from './schema.js';
import { liveChecks, type LiveCheckOptions } from './validate-live.js';

export interface ValidationReport {
  readonly config: PatroniConfig | null;
  readonly problems: readonly string[];
  readonly warnings: readonly string[];
}

export async function validateConfig(
  raw: unknown,
  options: LiveCheckOptions = {},
): Promise<ValidationReport> {
  const check = checkConfig(raw, { listMissingWhenEmpty: true });
  if (!isRecord(raw) || Object.keys(raw).length === 0) return check;
  const live = await liveChecks(raw, options);
  // A value that failed the schema is reported once, by the schema.
  const schemaPaths = new Set(check.problems.map((p) => p.split(' ')[0]));
  const extra = live.filter((p) => !schemaPaths.has(p.split(' ')[0]));
  return {
    config: check.config,
    problems: inPatroniOrder([...check.problems, ...extra]),
    warnings: check.warnings,
  };
}
