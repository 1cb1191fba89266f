/**
 * `patroni --validate-config`: the schema plus the live checks, every problem as one
 * `<path> <value> <message>` line (surface.md §1.16). The caller prints and picks the exit code.
 */
import { isRecord } from '../core/config/values.js';
import { pyStr } from './issues.js';
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
  const live = [...(await liveChecks(raw, options)), ...validatorOnly(raw)];
  // A value that failed the schema is reported once, by the schema.
  const schemaPaths = new Set(check.problems.map((p) => p.split(' ')[0]));
  const extra = live.filter((p) => !schemaPaths.has(p.split(' ')[0]));
  return {
    config: check.config,
    problems: inPatroniOrder([...check.problems, ...extra]),
    warnings: check.warnings,
  };
}

/**
 * What 3.0.2's validator refuses although its daemon runs with it: `watchdog.mode` must be one
 * of the three words as strings, so `auto` and an unquoted `off` (YAML false) are reported,
 * while the daemon reads them as `automatic` and `off` (patroni/watchdog/base.py parse_mode).
 */
function validatorOnly(raw: Readonly<Record<string, unknown>>): string[] {
  const watchdog = raw['watchdog'];
  if (!isRecord(watchdog) || !('mode' in watchdog)) return [];
  const mode = watchdog['mode'];
  if (typeof mode === 'string' && ['off', 'automatic', 'required'].includes(mode)) return [];
  return [`watchdog.mode ${pyStr(mode)} didn't pass validation: Wrong value`];
}
