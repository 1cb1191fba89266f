import type { DemoteMode } from '../decision.js';
import type { Cycle, Plan } from '../context.js';
import { followTargetOf, type FollowTarget } from '../input.js';
import { TASK } from '../info.js';
import type { PeerRef } from '../peer-status.js';
import { resetSyncStandbyNames, syncMatches, syncMode } from './sync.js';

/**
 * `trigger_check_diverged_lsn()` (§11.2): after any demotion or lost race we may be ahead of the
 * new leader, so the next follow must check before streaming from it.
 */
export function triggerRewindCheck(p: Plan): void {
  const s = p.input.settings;
  const allowed = p.input.local.canRewind || s.removeDataDirectoryOnDivergedTimelines;
  if (allowed && p.memory.rewind !== 'need') p.memory.rewind = 'check';
}

/**
 * Members that could take over: asked before a graceful demotion releases the key early
 * (`is_failover_possible(cluster_lsn=…)`, §7.1 step 3); in synchronous mode only `/sync` ones.
 */
export function failoverPeers(c: Cycle): PeerRef[] {
  const out: PeerRef[] = [];
  for (const m of c.cluster.members) {
    if (m.name === c.me || m.apiUrl === null || m.tags.nofailover) continue;
    if (syncMode(c) && !syncMatches(c, m.name)) continue;
    out.push({ name: m.name, apiUrl: m.apiUrl });
  }
  return out;
}

function taskFor(mode: DemoteMode): string | null {
  switch (mode) {
    case 'graceful':
      return TASK.manualDemote;
    case 'offline':
      return TASK.offlineDemote;
    case 'immediate':
    case 'immediate-nolock':
      return null;
  }
}

/**
 * `Ha.demote(mode)` (§7.1) as a plan: one `demote` action and its effect on memory. Offline
 * demotion follows nobody; the others follow the current leader when it is someone else.
 */
export function demote(
  p: Plan,
  mode: DemoteMode,
  cycle: Cycle | null,
  task: string | null = taskFor(mode),
): void {
  p.say('info', `Demoting self (${mode})`);
  triggerRewindCheck(p);
  const leader = cycle?.cluster.leader ?? null;
  const followAfter: FollowTarget | null =
    mode === 'offline' || leader === null || leader.name === p.me
      ? null
      : followTargetOf(leader.member);
  p.add({
    type: 'demote',
    mode,
    task,
    followAfter,
    releaseCandidates: mode === 'graceful' && cycle !== null ? failoverPeers(cycle) : [],
  });
  resetSyncStandbyNames(p, false);
  p.memory.role = 'demoted';
  p.memory.upstream = { connUrl: followAfter?.connUrl ?? null };
  p.memory.checkpointRequested = false;
  p.memory.checkpointRequestedAt = null;
  p.clearLeader();
}
