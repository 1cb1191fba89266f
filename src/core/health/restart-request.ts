import { parseSchedule } from './schedule.js';
import { parseIntWithUnit } from './units.js';

/** The filters of `POST /restart`, validated. Conditions are checked by the daemon. */
export interface RestartRequest {
  /** Python isoformat of the validated schedule; absent for an immediate restart. */
  readonly schedule?: string;
  /** As sent: `master`, `primary` or `replica`. */
  readonly role?: string;
  readonly postgresVersion?: string;
  /** Seconds. */
  readonly timeout?: number;
  /** Restart only when PostgreSQL reports pending_restart. */
  readonly restartPending?: boolean;
}

export type RestartValidation =
  | { readonly ok: true; readonly request: RestartRequest }
  | { readonly ok: false; readonly status: number; readonly message: string };

const fail = (status: number, message: string): RestartValidation => ({
  ok: false,
  status,
  message,
});

/**
 * Patroni 3.0.2 `do_POST_restart` checks, in the body's key order (the first bad key wins).
 * `paused` is the cluster's pause flag: scheduling is refused then, with a 500 as in Patroni.
 */
export function validateRestart(
  body: Readonly<Record<string, unknown>>,
  paused: boolean,
  nowMs: number,
): RestartValidation {
  if (paused && 'schedule' in body) return fail(500, "Can't schedule restart in the paused state");
  const out: { -readonly [K in keyof RestartRequest]: RestartRequest[K] } = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'schedule') {
      const s = parseSchedule(value, 'restart', nowMs);
      if (!s.ok) return fail(s.status, s.message);
      out.schedule = s.iso;
    } else if (key === 'role') {
      if (value !== 'master' && value !== 'primary' && value !== 'replica') {
        return fail(400, 'PostgreSQL role should be either primary or replica');
      }
      out.role = value;
    } else if (key === 'postgres_version') {
      const text = pythonText(value);
      const checked = postgresVersionToInt(text);
      if (typeof checked === 'string') return fail(400, checked);
      out.postgresVersion = text;
    } else if (key === 'timeout') {
      const seconds = parseIntWithUnit(value, 's');
      if (seconds === null || seconds <= 0) {
        return fail(400, 'Timeout should be a positive number of seconds');
      }
      out.timeout = seconds;
    } else if (key === 'restart_pending') {
      out.restartPending = value !== false && value !== null && value !== 0 && value !== '';
    } else {
      return fail(400, `Unknown filter for the scheduled restart: ${key}`);
    }
  }
  return { ok: true, request: out };
}

function pythonText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * `postgres_version_to_int`: `15.2` -> 150002, `9.6.3` -> 90603. Returns Patroni's error text
 * for anything else.
 */
export function postgresVersionToInt(version: string): number | string {
  const parts = version.split('.');
  if (!parts.every((p) => /^\s*[+-]?\d+\s*$/.test(p))) {
    return `Invalid PostgreSQL version: ${version}`;
  }
  const nums = parts.map((p) => parseInt(p, 10));
  const major = nums[0] ?? 0;
  if (nums.length < 2 || (nums.length === 2 && major < 10) || nums.length > 3) {
    return `Invalid PostgreSQL version format: X.Y or X.Y.Z is accepted: ${version}`;
  }
  if (nums.length === 2) nums.splice(1, 0, 0);
  return parseInt(nums.map((n) => String(n).padStart(2, '0')).join(''), 10);
}
