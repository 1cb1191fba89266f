import type { Plan } from '../context.js';
import { INFO } from '../info.js';
import { demote } from './demote.js';
import { checkFailsafeTopology } from './failsafe.js';
import { reason, type Reason } from '../reason.js';

/**
 * `_handle_dcs_error()` (§5.10): the snapshot could not be read. A primary that cannot prove it
 * still holds the lock must stop accepting writes before its key expires and another node takes
 * over, unless failsafe mode proves that every member knows it is still the primary (§9.3).
 */
export function dcsUnreachable(p: Plan): Reason {
  p.say('error', 'Error communicating with DCS');
  if (p.memory.wasPaused || !p.pgRunning || !p.pgPrimary) {
    p.memory.failsafeActiveSince = null;
    return INFO.dcsNotAccessible;
  }
  if (p.input.settings.failsafeMode && checkFailsafeTopology(p)) {
    p.setLeader();
    p.keepWatchdogAlive();
    p.memory.failsafeActiveSince ??= p.now;
    return INFO.failsafeContinue;
  }
  p.memory.failsafeActiveSince = null;
  if (p.input.inFlight !== null) {
    p.say('warning', 'AsyncExecutor is busy, demoting from the main thread');
    demote(p, 'offline', null, null);
    return reason('demotedDcs');
  }
  demote(p, 'offline', null);
  return INFO.demotingDcs;
}
