import type { Lsn } from '../model/lsn.js';
import type { MemberRole, ScheduledRestart } from '../model/member.js';
import type { Tags } from '../model/tags.js';

/**
 * The content of our `members/<name>` key (spec/core.md §2.3), in our own names. The DCS codec
 * turns it into Patroni's JSON (field order, `master` for `primary`, booleans only when true).
 * Optional fields are absent when Patroni would not write them.
 */
export interface MemberPublication {
  readonly connUrl: string;
  readonly apiUrl: string;
  readonly state: string;
  readonly role: MemberRole;
  readonly version: string;
  readonly proxyUrl?: string;
  /** Only `false`, only on a leader whose post-promote CHECKPOINT has not completed (§11.4). */
  readonly checkpointAfterPromote?: false;
  readonly tags: Tags;
  readonly pendingRestart?: true;
  readonly xlogLocation?: Lsn;
  readonly timeline?: number;
  readonly scheduledRestart?: ScheduledRestart;
  readonly pause?: true;
}
