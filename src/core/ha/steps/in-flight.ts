import type { Cycle } from '../context.js';
import { INFO, TASK } from '../info.js';
import { demote } from './demote.js';
import { isFailoverPossible } from './manual-failover.js';
import type { Reason } from '../reason.js';

/** `handle_long_action_in_progress()` (§5.9): an async action is running. */
export function longActionInProgress(c: Cycle): Reason {
  const flight = c.input.inFlight;
  // The dispatcher calls this only with an action in flight.
  if (flight === null) return INFO.inProgress('');
  const action = flight.action;
  if (c.hasLock && c.refreshLock()) {
    const elapsed = c.now - flight.startedAt;
    if (
      action === TASK.crashRecovery &&
      elapsed >= c.input.settings.primaryStartTimeout * 1000 &&
      isFailoverPossible(c, c.cluster.members)
    ) {
      c.add({ type: 'cancelInFlight' });
      demote(c, 'immediate', c);
      return INFO.terminatedCrashRecovery;
    }
    return INFO.updatedLockDuring(action);
  }
  if (!c.memory.bootstrapping && !c.paused) {
    if (action === TASK.promote && flight.cancellable) {
      c.add({ type: 'cancelInFlight' });
      return INFO.lostBeforePromote;
    }
    if (c.memory.role === 'primary') {
      c.say('info', `Demoting primary during ${action}`);
      demote(c, 'immediate-nolock', c);
      return INFO.lostLockDuring(action);
    }
  }
  if (c.cluster.leader === null) c.say('info', 'not healthy enough for leader race');
  return INFO.inProgress(action);
}
