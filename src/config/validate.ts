/**
 * `patroni --validate-config`: the schema plus the live checks, every problem as one
 * `<path> <value> <message>` line (surface.md §1.16). The caller prints and picks the exit code.
 */
import { toleratedLatencyMs } from '../core/config/lease-timing.js';
import { MIN_TTL } from '../core/config/timeouts.js';
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
    warnings: [...check.warnings, ...timingWarnings(raw)],
  };
}

/**
 * bootstrap.dcs timings that the daemon would adjust, with the bound and why (README "Fast
 * failover"): the leader lease keeper makes a short ttl safe, but a renewal must still be able to
 * use a whole retry_timeout and come back before the commit gate closes.
 */
function timingWarnings(raw: Readonly<Record<string, unknown>>): string[] {
  const bootstrap = raw['bootstrap'];
  const dcs = isRecord(bootstrap) ? bootstrap['dcs'] : undefined;
  if (!isRecord(dcs)) return [];
  const num = (key: string, fallback: number): number => {
    const v = Number(dcs[key] ?? fallback);
    return Number.isFinite(v) ? v : fallback;
  };
  const ttl = num('ttl', 30);
  const loopWait = num('loop_wait', 10);
  const retryTimeout = num('retry_timeout', 10);
  const out: string[] = [];
  if (ttl < MIN_TTL) {
    out.push(
      `bootstrap.dcs.ttl ${ttl} is below ${MIN_TTL} and will be raised to ${MIN_TTL}: with a ` +
        `shorter lease the leader would close its commit gate when the DCS is 2 s slow (an etcd ` +
        `leader election); see README "Fast failover"`,
    );
  }
  if (loopWait + 2 * retryTimeout > Math.max(ttl, MIN_TTL)) {
    const tolerated =
      toleratedLatencyMs({ ttl: Math.max(ttl, MIN_TTL), loopWait, retryTimeout }) / 1000;
    out.push(
      `bootstrap.dcs breaks "loop_wait + 2*retry_timeout <= ttl" (${loopWait} + 2*${retryTimeout}` +
        ` > ${ttl}); loop_wait and retry_timeout will be lowered: a lease renewal that uses a ` +
        `whole retry_timeout must still come back before the leader closes its commit gate ` +
        `(here it would have ${tolerated.toFixed(1)} s); see README "Fast failover"`,
    );
  }
  return out;
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
