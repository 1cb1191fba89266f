import { clusterTimeline } from '../../model/cluster.js';
import type { Lsn } from '../../model/lsn.js';
import type { Member } from '../../model/member.js';
import { disqualification, type Yardstick } from '../candidates.js';
import type { Cycle } from '../context.js';
import { INFO } from '../info.js';
import { failoverLimitation } from '../peer-status.js';
import { demote } from './demote.js';
import { scheduleVerdict } from './scheduled.js';
import { syncMatches, syncMode } from './sync.js';
import type { Reason } from '../reason.js';

export function yardstick(c: Cycle, mustReach?: Lsn): Yardstick {
  const s = c.input.settings;
  return {
    clusterLsn: c.cluster.lastLsn,
    maximumLagOnFailover: s.maximumLagOnFailover,
    clusterTimeline: s.checkTimeline ? clusterTimeline(c.cluster) : null,
    ...(mustReach === undefined ? {} : { mustReach }),
  };
}

/**
 * `is_failover_possible(members)` (§6.4): at least one other member, allowed to promote and with
 * an api_url, answers healthy, reports a WAL position and is neither lagging nor behind.
 */
export function isFailoverPossible(
  c: Cycle,
  members: readonly Member[],
  options: { readonly checkSynchronous?: boolean; readonly mustReach?: Lsn } = {},
): boolean {
  const syncOnly = (options.checkSynchronous ?? true) && syncMode(c);
  const refs = members
    .filter((m) => !syncOnly || syncMatches(c, m.name))
    .filter((m) => m.name !== c.me && !m.tags.nofailover && m.apiUrl !== null)
    .map((m) => ({ name: m.name, apiUrl: m.apiUrl ?? '' }));
  if (refs.length === 0) {
    c.say('warning', 'manual failover: members list is empty');
    return false;
  }
  const statuses = c.peers(refs);
  const y = yardstick(c, options.mustReach);
  let possible = false;
  for (const ref of refs) {
    const why = disqualification({ name: ref.name, status: statuses.get(ref.name) ?? null }, y);
    if (why === null) possible = true;
    else c.say('info', `Member ${ref.name} ${why}`);
  }
  return possible;
}

/** Who may take over from the leader (§6.5); in synchronous mode only `/sync` members. */
function switchoverMembers(c: Cycle, candidate: string | null): Member[] {
  if (!syncMode(c)) {
    return c.cluster.members.filter((m) => candidate === null || m.name === candidate);
  }
  if (candidate !== null && !syncMatches(c, candidate)) {
    const standbys = c.cluster.sync.syncStandbys.join(',');
    c.say(
      'warning',
      `Failover candidate=${candidate} does not match with sync_standbys=${standbys}`,
    );
    return [];
  }
  return c.cluster.members.filter((m) => syncMatches(c, m.name));
}

function clearFailover(c: Cycle, index: number): void {
  c.say('info', 'Cleaning up failover key');
  c.add({ type: 'clearFailoverKey', index });
}

/**
 * `process_manual_failover_from_leader` (§6.5), after a successful refresh: the sentence when a
 * graceful demotion was started, else null (the key is cleaned up when it cannot be honoured).
 */
export function manualFailoverFromLeader(c: Cycle): Reason | null {
  const f = c.cluster.failover;
  if (f === null || (f.leader === null && f.candidate === null)) return null;
  if (c.paused && !c.pgPrimary) return null;
  if (f.scheduledAt !== null) {
    const verdict = c.paused ? 'wait' : scheduleVerdict(c, 'failover', f.scheduledAt);
    if (verdict === 'wait') return null;
    if (verdict === 'clear') {
      clearFailover(c, f.index);
      return null;
    }
  }
  if (f.leader !== null && f.leader !== c.me) {
    c.say('warning', `manual failover: leader name does not match: ${f.leader} != ${c.me}`);
  } else if (f.candidate === c.me) {
    c.say('warning', 'manual failover: I am already the leader, no need to failover');
  } else if (f.candidate === null && c.paused) {
    c.say('warning', 'Failover is possible only to a specific candidate in a paused state');
  } else {
    if (isFailoverPossible(c, switchoverMembers(c, f.candidate), { checkSynchronous: false })) {
      demote(c, 'graceful', c);
      return INFO.manualFailoverDemoting;
    }
    c.say('warning', 'manual failover: no healthy members found, failover is not possible');
  }
  clearFailover(c, f.index);
  return null;
}

/**
 * `manual_failover_process_no_leader` (§6.5): may I race while a failover key exists? null means
 * the key was stale and has been removed (the caller then decides as if there were none).
 */
export function manualFailoverNoLeader(
  c: Cycle,
  healthiest: (members: readonly Member[], checkLag: boolean) => boolean,
): boolean | null {
  const f = c.cluster.failover;
  if (f === null) return null;
  if (f.candidate !== null) {
    if (f.candidate === c.me) return true;
    const candidate = c.member(f.candidate);
    if (c.paused) {
      if (candidate === undefined && c.pgPrimary) {
        c.say(
          'warning',
          'manual failover: removing failover key because failover candidate is not running',
        );
        c.add({ type: 'clearFailoverKey', index: f.index });
        return null;
      }
      return false;
    }
    if (syncMode(c) && !syncMatches(c, c.me)) return false;
    if (candidate !== undefined && candidate.apiUrl !== null) {
      const st = c.peers([{ name: candidate.name, apiUrl: candidate.apiUrl }]).get(candidate.name);
      const limitation = failoverLimitation(st ?? null);
      if (limitation === null) {
        c.say('info', `manual failover: to ${f.candidate}, i am ${c.me}`);
        return false;
      }
      c.say('warning', `manual failover: member ${f.candidate} is ${limitation}`);
    }
  } else if (c.paused) {
    return false;
  }
  const others = c.cluster.members.filter((m) => m.name !== f.leader);
  if (f.leader !== null && f.leader === c.me) {
    return !isFailoverPossible(
      c,
      others.filter((m) => m.name !== f.candidate),
    );
  }
  return healthiest(others, false);
}
