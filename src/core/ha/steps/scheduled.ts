import type { Plan } from '../context.js';

/** What to do about a scheduled action this cycle (`should_run_scheduled_action`, §6.5). */
export type ScheduleVerdict = 'wait' | 'run' | 'clear';

/**
 * Patroni's timing window: more than `loop_wait` ahead -> wait; more than 1.5 loops late -> stale,
 * clear it; otherwise run now (Patroni sleeps the remaining seconds inside the cycle; we run at
 * once, at most one loop early, which no operator can tell apart from a late wake-up).
 */
export function scheduleVerdict(p: Plan, kind: string, scheduledAt: string): ScheduleVerdict {
  const at = Date.parse(scheduledAt);
  if (Number.isNaN(at)) {
    p.say('warning', `Incorrect value of scheduled_at: ${scheduledAt}`);
    return 'clear';
  }
  const loopWait = p.input.settings.loopWait;
  const delta = (at - p.input.wallNow) / 1000;
  if (delta > loopWait) {
    p.say('info', `Awaiting ${kind} at ${scheduledAt} (in ${Math.round(delta)} seconds)`);
    return 'wait';
  }
  if (delta < -Math.trunc(loopWait * 1.5)) {
    p.say('warning', `Found a stale ${kind} value, cleaning up: ${scheduledAt}`);
    return 'clear';
  }
  p.say('info', `Manual scheduled ${kind} at ${scheduledAt}`);
  return 'run';
}
