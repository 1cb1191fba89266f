import type { Lsn } from '../model/lsn.js';

/**
 * How a peer compares with this node in the leader race (`_is_healthiest_node` step 5, spec/core.md
 * §6.2), as a typed value. The first three kinds mean the peer cannot take over; the next three
 * mean it outranks us (we step aside); the last two mean we outrank it.
 */
export type PeerVerdict =
  | { readonly kind: 'unreachable' }
  | { readonly kind: 'nofailover' }
  | { readonly kind: 'watchdogFailed' }
  | { readonly kind: 'primaryAlive' }
  | { readonly kind: 'walAhead'; readonly wal: Lsn; readonly myWal: Lsn }
  | { readonly kind: 'betterPriority'; readonly priority: number; readonly myPriority: number }
  | { readonly kind: 'walBehind'; readonly wal: Lsn; readonly myWal: Lsn }
  | { readonly kind: 'notBetter'; readonly wal: Lsn; readonly priority: number };

export type PeerVerdictKind = PeerVerdict['kind'];

/** The peer makes us step aside. */
export function outranks(v: PeerVerdict): boolean {
  return v.kind === 'primaryAlive' || v.kind === 'walAhead' || v.kind === 'betterPriority';
}

/**
 * The sentence Patroni logs when a peer outranks us (verbatim: the compat suite greps them);
 * for the other kinds a plain explanation for the journal.
 */
export function peerSentence(name: string, v: PeerVerdict): string {
  switch (v.kind) {
    case 'primaryAlive':
      return `Primary (${name}) is still alive`;
    case 'walAhead':
      return `Wal position of ${name} is ahead of my wal position`;
    case 'betterPriority':
      return `${name} has equally tolerable WAL position and priority ${v.priority}, while this node has priority ${v.myPriority}`;
    case 'unreachable':
      return `${name} is not reachable`;
    case 'nofailover':
      return `${name} is not allowed to promote`;
    case 'watchdogFailed':
      return `${name} is not watchdog capable`;
    case 'walBehind':
      return `Wal position of ${name} (${v.wal}) is behind my wal position (${v.myWal})`;
    case 'notBetter':
      return `${name} has the same wal position and priority ${v.priority}, not higher than mine`;
  }
}

/** Why this node did not go for the leader lock although nobody held it. */
export type RaceRefusal =
  | { readonly kind: 'prePromoteBackoff' }
  | { readonly kind: 'starting' }
  | { readonly kind: 'paused' }
  | { readonly kind: 'nofailover' }
  | { readonly kind: 'notSynchronous' }
  | { readonly kind: 'watchdogNotUsable' }
  | { readonly kind: 'failsafe' }
  | { readonly kind: 'manualFailover'; readonly candidate: string | null }
  | { readonly kind: 'walLagging'; readonly myWal: Lsn; readonly clusterLsn: Lsn }
  | { readonly kind: 'timelineBehind'; readonly timeline: number; readonly clusterTimeline: number }
  | { readonly kind: 'outranked'; readonly by: string; readonly verdict: PeerVerdict };

export type RaceRefusalKind = RaceRefusal['kind'];

/** A peer asked during the race and how it compared. */
export interface RacePeer {
  readonly name: string;
  readonly wal: Lsn | null;
  readonly timeline: number | null;
  readonly verdict: PeerVerdict;
}

/** What the leader race of one cycle looked at and concluded (null: there was no race). */
export interface RaceReport {
  /** This node went for the lock (whether it got it shows in the decision's reason). */
  readonly raced: boolean;
  readonly refusal: RaceRefusal | null;
  readonly peers: readonly RacePeer[];
}

/** A short explanation of a refusal, for the journal and `patronictl why`. */
export function refusalSentence(r: RaceRefusal): string {
  switch (r.kind) {
    case 'prePromoteBackoff':
      return 'backing off after a pre_promote script failure';
    case 'starting':
      return 'PostgreSQL is still starting';
    case 'paused':
      return 'the cluster is paused';
    case 'nofailover':
      return 'not allowed to promote (nofailover or failover_priority 0)';
    case 'notSynchronous':
      return 'not a synchronous standby';
    case 'watchdogNotUsable':
      return 'the watchdog device is not usable';
    case 'failsafe':
      return 'failsafe mode: not every member of the failsafe topology answered';
    case 'manualFailover':
      return r.candidate === null
        ? 'a manual failover is pending'
        : `a manual failover to ${r.candidate} is pending`;
    case 'walLagging':
      return `my wal position ${r.myWal} is too far behind the leader's last ${r.clusterLsn}`;
    case 'timelineBehind':
      return `my timeline ${r.timeline} is behind the cluster timeline ${r.clusterTimeline}`;
    case 'outranked':
      return peerSentence(r.by, r.verdict);
  }
}
