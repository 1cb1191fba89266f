import type { HistoryEvent } from '../types.js';

export interface WritesVerdict {
  /** Acknowledged ids. */
  readonly acked: number;
  /** Ids sent whose outcome the writer never learned (an error, a timeout): either way is fine. */
  readonly uncertain: number;
  /** Acknowledged ids missing from the final leader, ascending. */
  readonly lost: readonly number[];
  /** Ids on the final leader that no writer ever sent, ascending. */
  readonly phantom: readonly number[];
}

/**
 * Lost writes and phantom rows: every acknowledged id must be on the final leader, and every row
 * there must carry an id some writer sent (acknowledged or not: a commit whose acknowledgement was
 * lost to a failover may or may not have survived, and neither is a fault).
 */
export function checkWrites(
  events: readonly HistoryEvent[],
  present: Iterable<number>,
): WritesVerdict {
  const acked = new Set<number>();
  const sent = new Set<number>();
  for (const e of events) {
    if (e.kind === 'ack') {
      acked.add(e.id);
      sent.add(e.id);
    } else if (e.kind === 'write-error') {
      sent.add(e.id);
    }
  }
  const have = new Set(present);
  const lost = [...acked].filter((id) => !have.has(id)).sort((a, b) => a - b);
  const phantom = [...have].filter((id) => !sent.has(id)).sort((a, b) => a - b);
  const uncertain = [...sent].filter((id) => !acked.has(id)).length;
  return { acked: acked.size, uncertain, lost, phantom };
}

/** When each id was acknowledged (to attribute a lost row to the fault that lost it). */
export function ackTimes(events: readonly HistoryEvent[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const e of events) if (e.kind === 'ack') out.set(e.id, e.at);
  return out;
}
