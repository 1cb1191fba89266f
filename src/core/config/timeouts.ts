/**
 * Patroni ≥3.2's timing rule (spec/core.md §1.3), applied to our own timing only: a leader that
 * starts a cycle just before its key expires must still have time for one full DCS retry to read
 * the cluster and one to update the lock (2 × retry_timeout) after sleeping loop_wait.
 */

export interface Timing {
  readonly ttl: number;
  readonly loopWait: number;
  readonly retryTimeout: number;
}

const MINIMUMS: readonly [keyof Timing, string, number][] = [
  ['ttl', 'ttl', 20],
  ['loopWait', 'loop_wait', 1],
  ['retryTimeout', 'retry_timeout', 3],
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
