import type { WireHeader } from './wire.js';
import { revisionOf } from './wire.js';

/**
 * The store revision in etcd's latest answer to a unary call (range, put, txn, lease
 * keep-alive), shared by every endpoint of one backend: revisions are the cluster's, not an
 * endpoint's.
 */
export class StoreAnswers {
  revision = 0;
  at = -Infinity;

  /** Notes an answer's header revision (unary answers, and stream messages wrapped in `result`). */
  note(answer: unknown, now: number): void {
    const body = answer as { header?: WireHeader; result?: { header?: WireHeader } } | null;
    const revision = revisionOf(body?.header ?? body?.result?.header);
    if (revision === 0) return;
    this.revision = revision;
    this.at = now;
  }
}

export interface StreamState {
  readonly now: number;
  /** When the stream last delivered a message (events, created, progress). */
  readonly lastMessageAt: number;
  /** Every change under the prefix up to this revision has been delivered. */
  readonly deliveredUpTo: number;
  /** A progress request is out, unanswered. */
  readonly probed: boolean;
  readonly answers: StoreAnswers;
  readonly idleMs: number;
}

/**
 * What an idle watch stream needs at a check: 'fine', a progress request ('probe'), or to be
 * torn down ('break': the probe went unanswered). A stream that spoke within `idleMs` is fine.
 * So is a silent one when the store answered a call lately at a revision the stream has already
 * delivered: nothing happened that it failed to pass on. Patroni never probes its watch; we
 * probe only when the store moved on and the stream did not follow (a half-open connection
 * through a NAT that forgot it, say), or when nothing answered at all (a hung store), so an
 * idle cluster sends no probes. Answers vouch for two periods: a replica renews its lease only
 * every other loop.
 */
export function streamVerdict(s: StreamState): 'fine' | 'probe' | 'break' {
  if (s.now - s.lastMessageAt < s.idleMs) return 'fine';
  const vouched = s.answers.revision <= s.deliveredUpTo && s.now - s.answers.at < 2 * s.idleMs;
  if (vouched) return 'fine';
  return s.probed ? 'break' : 'probe';
}
