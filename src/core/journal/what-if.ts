import { decide } from '../ha/decide.js';
import type { Decision, Query } from '../ha/decision.js';
import type { HaInput, QueryAnswers } from '../ha/input.js';
import type { PeerStatus } from '../ha/peer-status.js';
import type { RaceReport } from '../ha/race.js';
import type { Reason } from '../ha/reason.js';
import type { Lsn } from '../model/lsn.js';
import { ownPosition } from './summarize.js';

/** One member's answer to "what would you do if the leader died now?" (`GET /why`). */
export interface WhatIfAnswer {
  readonly member: string;
  /** The leader assumed dead; null when there is none (the answer is then today's decision). */
  readonly leader: string | null;
  /** This member would go for the leader lock. */
  readonly wouldRace: boolean;
  readonly reason: Reason;
  /** The sentence this member would log (Patroni's words). */
  readonly sentence: string;
  readonly race: RaceReport | null;
  readonly lsn: Lsn | null;
  readonly timeline: number | null;
  /** Why no simulation ran (e.g. this member is the leader); null when it ran. */
  readonly skipped: string | null;
}

/** A query loop that never ends would be a bug; the core asks a few at most. */
const MAX_ROUNDS = 10;

/**
 * Runs the decision core on this member's last input with the leader key gone and the leader's
 * REST API silent, as after a kill -9 once the key expired. Nothing is carried out: every attempt
 * the core would make is answered as if it succeeded (so we see whether it would take over), and
 * `peers` holds what the other members answer now. Pure: the caller fetches the peers.
 */
export function whatIfLeaderDied(
  input: HaInput,
  peers: Readonly<Record<string, PeerStatus | null>>,
): WhatIfAnswer {
  const me = input.self.name;
  const base = {
    member: me,
    lsn: ownPosition(input.pg),
    timeline: input.pg.timeline,
  };
  if (!input.dcs.reachable) {
    return skipped(base, null, input, 'the DCS is not reachable from this member');
  }
  const cluster = input.dcs.cluster;
  const leader = cluster.leader?.name ?? null;
  if (leader === me) return skipped(base, leader, input, 'this member is the leader');
  const members = cluster.members.map((m) => ({
    name: m.name,
    apiUrl: m.apiUrl,
    nofailover: m.tags.nofailover,
  }));
  const simulated: HaInput = {
    ...input,
    dcs: { reachable: true, cluster: { ...cluster, leader: null } },
    // The cycles before the leader died saw it and its members (`old_cluster`).
    memory: { ...input.memory, lastLedMembers: members, leaderUntil: 0 },
    finished: null,
    answers: {},
  };
  const heard: Record<string, PeerStatus | null> = { ...peers };
  if (leader !== null) heard[leader] = null;
  const decision = decideHypothetically(simulated, heard);
  return {
    ...base,
    leader,
    wouldRace: decision.race?.raced === true,
    reason: decision.reason,
    sentence: decision.info,
    race: decision.race,
    skipped: null,
  };
}

function skipped(
  base: Pick<WhatIfAnswer, 'member' | 'lsn' | 'timeline'>,
  leader: string | null,
  input: HaInput,
  why: string,
): WhatIfAnswer {
  const today = decide({ ...input, answers: {} });
  return {
    ...base,
    leader,
    wouldRace: false,
    reason: today.reason,
    sentence: why,
    race: null,
    skipped: why,
  };
}

function decideHypothetically(
  input: HaInput,
  peers: Readonly<Record<string, PeerStatus | null>>,
): Decision {
  let answers: QueryAnswers = {};
  let decision = decide(input);
  for (let round = 0; round < MAX_ROUNDS && decision.query !== undefined; round++) {
    answers = { ...answers, ...hypotheticalAnswer(decision.query, peers) };
    decision = decide({ ...input, answers });
  }
  return decision;
}

/** Each attempt answered as if it succeeded; peers as they answered; the dead leader silent. */
function hypotheticalAnswer(
  q: Query,
  peers: Readonly<Record<string, PeerStatus | null>>,
): QueryAnswers {
  switch (q.kind) {
    case 'peerStatus':
      return { peers: Object.fromEntries(q.members.map((m) => [m.name, peers[m.name] ?? null])) };
    case 'acquireLock':
      return { lockAcquired: true };
    case 'refreshLock':
      return { lockRefreshed: true };
    case 'raceInitialize':
      return { initializeWon: false };
    case 'checkDivergence':
      return { divergence: 'notNeed' };
    case 'failsafePing':
      // The dead leader cannot accept a failsafe ping.
      return { failsafeAccepted: false };
    case 'activateWatchdog':
      return { watchdogActivated: true };
    case 'writeSyncState':
      return { syncStateWritten: true };
  }
}
