import type { Plan } from '../context.js';
import { INFO } from '../info.js';
import { demote } from './demote.js';

/**
 * `_handle_dcs_error()` (§5.10): the snapshot could not be read. A primary that cannot prove it
 * still holds the lock must stop accepting writes before its key expires and another node takes
 * over. Failsafe mode (§9: ask every member instead) is a later issue; until then it demotes.
 */
export function dcsUnreachable(p: Plan): string {
  p.say('error', 'Error communicating with DCS');
  p.memory.failsafeActiveSince = null;
  if (p.memory.wasPaused || !p.pgRunning || !p.pgPrimary) return INFO.dcsNotAccessible;
  if (p.input.inFlight !== null) {
    p.say('warning', 'AsyncExecutor is busy, demoting from the main thread');
    demote(p, 'offline', null, null);
    return 'demoted self because DCS is not accessible and I was a leader';
  }
  demote(p, 'offline', null);
  return INFO.demotingDcs;
}
