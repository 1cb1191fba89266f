import type { ActionType } from '../ha/decision.js';
import type { RaceReport } from '../ha/race.js';
import type { Reason, ReasonKind } from '../ha/reason.js';
import type { Lsn } from '../model/lsn.js';

/** The best-placed other member this cycle knew of (most WAL among those that answered). */
export interface PeerPosition {
  readonly name: string;
  readonly lsn: Lsn | null;
  /** Bytes behind the leader's last published position; null when either is unknown. */
  readonly lagBytes: number | null;
}

/**
 * The inputs that decided one cycle. Never a secret: no conninfo, no passwords, only names,
 * positions and flags.
 */
export interface DecisionInputs {
  readonly dcsReachable: boolean;
  /** The `leader` key's holder in this cycle's snapshot; null when nobody holds it. */
  readonly lockOwner: string | null;
  /** The holder seen by the last cycle that saw one: names the lock that was lost. */
  readonly previousLockOwner: string | null;
  /** ms until our own lease runs out when we hold the lock; null when not ours (unknown). */
  readonly leaseLeftMs: number | null;
  /** The role we publish (`master` is `primary` here). */
  readonly role: string;
  readonly pgState: string;
  readonly timeline: number | null;
  /** From `/history`; null when unknown. */
  readonly clusterTimeline: number | null;
  /** Our WAL position (primary: current; replica: max of received and replayed). */
  readonly lsn: Lsn | null;
  /** The leader's last published position (`/status.optime`); 0 when unknown. */
  readonly leaderLsn: Lsn;
  /** Bytes we are behind `leaderLsn`; null when either is unknown. */
  readonly lagBytes: number | null;
  readonly bestPeer: PeerPosition | null;
  /** The `failover` key (a switchover when `leader` is set); null when empty. */
  readonly failover: {
    readonly leader: string | null;
    readonly candidate: string | null;
    readonly scheduledAt: string | null;
  } | null;
  readonly paused: boolean;
  readonly sync: {
    readonly synchronousMode: boolean;
    readonly leader: string | null;
    readonly standbys: readonly string[];
  };
  /** The long action running in the async slot, if any. */
  readonly inFlight: string | null;
}

/** One cycle's decision, as the daemon hands it to the journal. */
export interface DecisionRecord {
  readonly member: string;
  readonly reason: Reason;
  /** The sentence as logged (with `PAUSE: ` when paused). */
  readonly sentence: string;
  readonly inputs: DecisionInputs;
  /** The leader race of this cycle; null when nobody raced (a leader existed, or no race ran). */
  readonly race: RaceReport | null;
  /** The extra lines logged before the sentence (Patroni's wording; secrets redacted). */
  readonly log: readonly string[];
  readonly actions: readonly ActionType[];
}

/**
 * One journal entry: a decision and how often it repeated. Consecutive cycles that decided the
 * same thing on the same inputs (positions and lease time aside) are one entry with a count.
 */
export interface JournalEntry extends DecisionRecord {
  /** The kind of the reason (same as `reason.kind`), for counting and filtering. */
  readonly kind: ReasonKind;
  /** Sequence number of the first cycle of this entry (unique per entry, increasing). */
  readonly seq: number;
  /** Sequence number of the last cycle folded into it. */
  readonly lastSeq: number;
  /** ISO-8601 wall times of the first and last cycle. */
  readonly first: string;
  readonly last: string;
  readonly count: number;
}

/** What a subscriber is told: a new entry, or a repeat that raised the last entry's count. */
export type JournalEvent =
  | { readonly type: 'added'; readonly entry: JournalEntry }
  | { readonly type: 'repeated'; readonly entry: JournalEntry };

export type JournalListener = (event: JournalEvent) => void;

/** `GET /journal` replies with this. */
export interface JournalReply {
  readonly member: string;
  /** The newest cycle sequence number: pass it as `since` to get only what changed after it. */
  readonly seq: number;
  readonly entries: readonly JournalEntry[];
}

/** `since`: a cycle sequence number (entries changed after it) or a time (changed at or after). */
export type JournalSince = { readonly seq: number } | { readonly time: number } | null;
