import { clusterTimeline } from '../../model/cluster.js';
import type { Member } from '../../model/member.js';
import { isLagging, peerVerdict } from '../candidates.js';
import type { Cycle } from '../context.js';
import { INFO } from '../info.js';
import type { KnownMember } from '../memory.js';
import type { PeerRef } from '../peer-status.js';
import { outranks, peerSentence, type RaceRefusal } from '../race.js';
import { enforcePrimaryRole } from './holding-lock.js';
import { failsafeRaceMembers } from './failsafe.js';
import { follow } from './following.js';
import { triggerRewindCheck } from './demote.js';
import { manualFailoverNoLeader, yardstick } from './manual-failover.js';
import { syncGateActive, syncMatches, syncMode } from './sync.js';
import type { Reason } from '../reason.js';

function myPriority(c: Cycle): number {
  return c.nofailover ? 0 : (c.input.self.tags.failoverPriority ?? 1);
}

/** `_is_healthiest_node(members, check_replication_lag)` (§6.2). */
export function isHealthiest(c: Cycle, members: readonly KnownMember[], checkLag = true): boolean {
  const myWal = c.lastOperation ?? 0;
  const y = yardstick(c);
  if (checkLag && isLagging(myWal, y)) {
    c.say('info', 'My wal position exceeds maximum replication lag');
    c.refuseRace({ kind: 'walLagging', myWal, clusterLsn: y.clusterLsn });
    return false;
  }
  const clusterTl = clusterTimeline(c.cluster);
  const myTl = c.input.pg.timeline;
  const checkTl = c.input.settings.checkTimeline && c.standby === null;
  if (checkTl && myTl !== null && myTl < clusterTl) {
    c.say('info', `My timeline ${myTl} is behind last known cluster timeline ${clusterTl}`);
    c.refuseRace({ kind: 'timelineBehind', timeline: myTl, clusterTimeline: clusterTl });
    return false;
  }
  noteIneligible(c, members);
  const refs = askable(c, members);
  if (refs.length === 0) return true;
  const statuses = c.peers(refs);
  for (const ref of refs) {
    const status = statuses.get(ref.name) ?? null;
    const verdict = peerVerdict(status, myWal, myPriority(c));
    c.notePeer({
      name: ref.name,
      wal: status?.walPosition ?? null,
      timeline: status?.timeline ?? null,
      verdict,
    });
    if (!outranks(verdict)) continue;
    c.say(verdict.kind === 'primaryAlive' ? 'warning' : 'info', peerSentence(ref.name, verdict));
    // The former sync leader may still answer and be ahead: it must not block the race (§6.2).
    const formerLeader = syncGateActive(c) && c.cluster.sync.leader === ref.name;
    if (!formerLeader || verdict.kind !== 'walAhead') {
      c.refuseRace({ kind: 'outranked', by: ref.name, verdict });
      return false;
    }
    c.say('info', 'Ignoring the former leader being ahead of us');
  }
  return true;
}

/** Members that may not promote are never asked; the journal still names them. */
function noteIneligible(c: Cycle, members: readonly KnownMember[]): void {
  for (const m of members) {
    if (m.name === c.me || !m.nofailover) continue;
    c.notePeer({ name: m.name, wal: null, timeline: null, verdict: { kind: 'nofailover' } });
  }
}

/** Peers worth asking: not me, allowed to promote, with an api_url; each name once. */
function askable(c: Cycle, members: readonly KnownMember[]): PeerRef[] {
  const seen = new Map<string, PeerRef>();
  for (const m of members) {
    if (m.name === c.me || m.nofailover || m.apiUrl === null) continue;
    seen.set(m.name, { name: m.name, apiUrl: m.apiUrl });
  }
  return [...seen.values()];
}

export function known(members: readonly Member[]): KnownMember[] {
  return members.map((m) => ({ name: m.name, apiUrl: m.apiUrl, nofailover: m.tags.nofailover }));
}

function prePromoteBackoff(c: Cycle): boolean {
  const at = c.memory.prePromoteFailedAt;
  return at !== null && c.now - at < c.ttlMs;
}

/** `is_healthiest_node()` (§6.1), evaluated top-down. */
export function isHealthiestNode(c: Cycle): boolean {
  if (prePromoteBackoff(c)) {
    c.say(
      'info',
      'backoff: skip leader race after pre_promote script failure and releasing the lock voluntarily',
    );
    return refuse(c, { kind: 'prePromoteBackoff' });
  }
  const f = c.cluster.failover;
  const hasFailover = f !== null && (f.leader !== null || f.candidate !== null);
  const race = (ms: readonly Member[], lag: boolean): boolean => isHealthiest(c, known(ms), lag);
  const manual = (): boolean | null => {
    const r = manualFailoverNoLeader(c, race);
    if (r === false) c.refuseRace({ kind: 'manualFailover', candidate: f?.candidate ?? null });
    return r;
  };
  if (c.paused && !c.nofailover && hasFailover && f.scheduledAt === null) {
    const r = manual();
    if (r !== null) return r;
  }
  if (c.input.pg.state === 'starting') return refuse(c, { kind: 'starting' });
  if (c.pgPrimary) {
    const init = c.cluster.initialize;
    return !(c.paused && init !== null && init !== '' && init !== c.input.pg.systemIdentifier);
  }
  if (c.paused) return refuse(c, { kind: 'paused' });
  if (c.nofailover) return refuse(c, { kind: 'nofailover' });
  if (hasFailover) {
    if (syncMode(c) && f.leader !== null && !syncMatches(c, c.me)) {
      return refuse(c, { kind: 'notSynchronous' });
    }
    const r = manual();
    if (r !== null) return r;
  }
  if (c.input.watchdog?.healthy === false) {
    c.say('warning', 'Watchdog device is not usable');
    return refuse(c, { kind: 'watchdogNotUsable' });
  }
  const failsafe = failsafeRaceMembers(c);
  if (failsafe === null) return refuse(c, { kind: 'failsafe' });
  const all = [...c.memory.lastLedMembers, ...failsafe, ...known(c.cluster.members)];
  if (syncGateActive(c)) {
    // Only nodes that were synchronous may take over: others may lack acknowledged commits.
    if (!syncMatches(c, c.me)) return refuse(c, { kind: 'notSynchronous' });
    return isHealthiest(
      c,
      all.filter((m) => syncMatches(c, m.name)),
    );
  }
  return isHealthiest(c, all);
}

function refuse(c: Cycle, why: RaceRefusal): false {
  c.refuseRace(why);
  return false;
}

/** `process_unhealthy_cluster()` (§5.3): nobody holds the leader lock. */
export function processUnhealthyCluster(c: Cycle): Reason {
  c.beginRace();
  const healthiest = isHealthiestNode(c);
  if (c.race !== null) c.race.raced = healthiest;
  if (healthiest) {
    if (c.acquireLock()) {
      const f = c.cluster.failover;
      if (f !== null && (f.leader !== null || f.candidate !== null)) {
        if (c.paused && f.leader !== null && f.candidate !== null) {
          c.say('info', 'Updating failover key after acquiring leader lock...');
          c.add({
            type: 'rewriteFailoverKey',
            candidate: f.candidate,
            scheduledAt: f.scheduledAt,
            index: f.index,
          });
        } else {
          c.say('info', 'Cleaning up failover key after acquiring leader lock...');
          c.add({ type: 'clearFailoverKey', index: f.index });
        }
      }
      if (c.standby !== null) {
        return follow(c, INFO.standbyPromotedAcquired, INFO.standbyPromotedAcquired);
      }
      return enforcePrimaryRole(c, INFO.acquiredLock, INFO.promotedAcquired);
    }
    c.say('info', 'Could not take out TTL lock');
    return follow(c, INFO.demotedFailedLock, INFO.followingFailedLock);
  }
  const f = c.cluster.failover;
  if ((f !== null && (f.leader !== null || f.candidate !== null)) || c.nofailover) {
    // We may be ahead of whoever wins; Patroni also sleeps 2 s here to let the winner act.
    triggerRewindCheck(c);
  }
  if (c.nofailover) return follow(c, INFO.demotingNofailover, INFO.followingNofailover);
  return follow(c, INFO.demotingNotHealthiest, INFO.followingNotHealthiest);
}
