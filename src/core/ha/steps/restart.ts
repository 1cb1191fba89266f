import type { ClusterSnapshot } from '../../model/cluster.js';
import type { ScheduledRestart } from '../../model/member.js';
import type { Cycle, Plan } from '../context.js';
import { taskOf } from '../decision.js';
import { INFO } from '../info.js';
import { scheduleVerdict } from './scheduled.js';
import type { Reason } from '../reason.js';

/** `9.6.3` / `15.2` -> 90603 / 150002 (PostgreSQL's server_version_num), null when unparseable. */
export function versionNumber(text: string): number | null {
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(text.trim());
  if (m === null) return null;
  const major = Number(m[1]);
  const minor = Number(m[2] ?? 0);
  return major >= 10 ? major * 10000 + minor : major * 10000 + minor * 100 + Number(m[3] ?? 0);
}

/**
 * `restart_matches` (§16.1): why a restart request does not apply to this node, or null when it
 * does. Shared with the REST API so both refuse with the same reason.
 */
export function restartMismatch(
  p: Plan,
  filter: Pick<ScheduledRestart, 'role' | 'postgresVersion' | 'restartPending'>,
): string | null {
  if (filter.role !== undefined && filter.role !== p.memory.role) return 'host role mismatch';
  if (filter.postgresVersion !== undefined) {
    const wanted = versionNumber(filter.postgresVersion);
    const running = p.input.pg.serverVersion;
    if (wanted !== null && running !== null && wanted <= running) {
      return 'postgres version mismatch';
    }
  }
  if (filter.restartPending === true && !p.input.pg.pendingRestart) {
    return 'pending restart flag is not set';
  }
  return null;
}

/**
 * `evaluate_scheduled_restart()` (§16.2): in cycles with a leader and nothing in the async slot.
 * Returns the sentence that replaces the cycle's, or null.
 */
export function evaluateScheduledRestart(c: Cycle): Reason | null {
  const sr = c.input.scheduledRestart;
  if (sr === null || c.input.inFlight !== null || c.actions.some((a) => taskOf(a) !== null))
    return null;
  const started = c.input.pg.postmasterStartTime;
  if (
    sr.postmasterStartTime !== undefined &&
    started !== null &&
    sr.postmasterStartTime !== started
  ) {
    c.say(
      'info',
      `Cancelling scheduled restart: postgres restart has already happened at ${started}`,
    );
    c.add({ type: 'clearScheduledRestart' });
    return null;
  }
  const verdict = c.paused ? 'wait' : scheduleVerdict(c, 'restart', sr.schedule);
  if (verdict === 'wait') return null;
  c.add({ type: 'clearScheduledRestart' });
  if (verdict === 'clear') return null;
  const reason = restartMismatch(c, sr);
  if (reason !== null) {
    c.say('info', `not proceeding with the restart: ${reason}`);
    c.say('warning', 'Scheduled restart: restart conditions are not satisfied');
    return null;
  }
  c.memory.recovering = true;
  c.memory.startTimeout = sr.timeout ?? null;
  c.add({ type: 'restartPostgres', task: 'restart', timeoutSeconds: sr.timeout ?? null });
  return INFO.restartInitiated;
}

/**
 * `Ha.reinitialize` refusals (§16.3), for `POST /reinitialize`: a sentence when this node may not
 * be re-cloned now (503), null when it may.
 */
export function reinitializeRefusal(cluster: ClusterSnapshot, me: string): string | null {
  if (cluster.leader === null) return 'Cluster has no leader, can not reinitialize';
  if (cluster.leader.name === me) return 'I am the leader, can not reinitialize';
  return null;
}
