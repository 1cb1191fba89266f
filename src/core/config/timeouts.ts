/**
 * The timing rule of Patroni >= 3.2 (spec/core.md §1.3), `loop_wait + 2*retry_timeout <= ttl`:
 * a leader that starts a cycle just before its key expires must still have time for one full DCS
 * retry to read the cluster and one to update the lock after sleeping loop_wait.
 *
 * The floors are ours, not Patroni 3.2's (ttl 20, retry_timeout 3): the leader lease keeper
 * (daemon/lease, issue 17) renews the lock on its own timer whenever the HA loop has not for
 * one interval (lease-timing.ts `renewIntervalMs`) and closes the commit gate a margin
 * (max(1 s, ttl/6)) before the lease counted from the last confirmed renewal's request can end,
 * so a short ttl no longer trades safety for speed. What a short ttl costs is tolerance of a
 * slow DCS: the keeper's renewal must come back within `ttl - margin - interval`
 * (`toleratedLatencyMs`), which the rule above keeps at least retry_timeout for every ttl; the
 * floor ttl >= 4 keeps the margin and the interval meaningful on a loaded host.
 */

export interface Timing {
  readonly ttl: number;
  readonly loopWait: number;
  readonly retryTimeout: number;
}

/** The shortest ttl the lease keeper is made for (see above). */
export const MIN_TTL = 4;

const MINIMUMS: readonly [keyof Timing, string, number][] = [
  ['ttl', 'ttl', MIN_TTL],
  ['loopWait', 'loop_wait', 1],
  ['retryTimeout', 'retry_timeout', 1],
];

export function adjustTimeouts(input: Timing, warnings: string[]): Timing {
  const t = { ...input };
  for (const [key, name, min] of MINIMUMS) {
    if (t[key] < min) {
      warnings.push(`${name}=${t[key]} can't be smaller than ${min}, adjusting...`);
      t[key] = min;
    }
  }
  if (t.loopWait + 2 * t.retryTimeout > t.ttl) {
    if (1 + 2 * t.retryTimeout > t.ttl) {
      t.loopWait = 1;
      t.retryTimeout = Math.floor((t.ttl - 1) / 2);
      warnings.push(
        `Violated the rule "loop_wait + 2*retry_timeout <= ttl", where ttl=${t.ttl}. ` +
          `Adjusting loop_wait from ${input.loopWait} to 1 and retry_timeout from ` +
          `${input.retryTimeout} to ${t.retryTimeout}`,
      );
    } else {
      const loopWait = t.ttl - 2 * t.retryTimeout;
      warnings.push(
        `Violated the rule "loop_wait + 2*retry_timeout <= ttl", where ttl=${t.ttl} and ` +
          `retry_timeout=${t.retryTimeout}. Adjusting loop_wait from ${t.loopWait} to ${loopWait}`,
      );
      t.loopWait = loopWait;
    }
  }
  return t;
}
