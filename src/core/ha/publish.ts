import type { Plan } from './context.js';
import { taskOf } from './decision.js';
import type { MemberPublication } from './publication.js';

const POSITION_STATES = new Set(['running', 'restarting', 'starting']);

/**
 * `touch_member()` (§5.11, §2.3): what we publish at the end of the cycle, from the memory this
 * cycle produced. A member being rebuilt by a long action publishes no WAL position, so the race
 * never trusts a position that is about to vanish.
 */
export function publication(p: Plan, paused: boolean): MemberPublication {
  const { self, pg } = p.input;
  const m = p.memory;
  const busy =
    (p.input.inFlight !== null && p.input.inFlight.action !== 'promote') ||
    p.actions.some((a) => taskOf(a) !== null && taskOf(a) !== 'promote');
  const showPosition = POSITION_STATES.has(pg.state) && !busy;
  const xlog = showPosition ? p.lastOperation : null;
  const isLeader = m.leaderUntil > p.now;
  return {
    connUrl: self.connUrl,
    apiUrl: self.apiUrl,
    state: pg.state,
    // Patroni never advertises `master` without the leader role (consul would register a primary
    // service for it): a primary that is not (or no longer) leader shows as `promoted`.
    role: m.role === 'primary' && !isLeader ? 'promoted' : m.role,
    version: self.version,
    ...(self.proxyUrl === null ? {} : { proxyUrl: self.proxyUrl }),
    ...(isLeader && m.rewind !== 'checkpoint' ? { checkpointAfterPromote: false as const } : {}),
    tags: self.tags,
    ...(pg.pendingRestart ? { pendingRestart: true as const } : {}),
    ...(xlog === null ? {} : { xlogLocation: xlog }),
    ...(showPosition && pg.timeline !== null ? { timeline: pg.timeline } : {}),
    ...(p.input.scheduledRestart === null ? {} : { scheduledRestart: p.input.scheduledRestart }),
    ...(paused ? { pause: true as const } : {}),
  };
}
