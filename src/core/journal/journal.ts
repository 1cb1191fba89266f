import type {
  DecisionRecord,
  JournalEntry,
  JournalEvent,
  JournalListener,
  JournalSince,
} from './entry.js';

/** Enough for hours of changes at one decision per loop_wait, bounded for a long-lived daemon. */
export const DEFAULT_JOURNAL_CAPACITY = 500;

/**
 * The decision journal: a bounded ring of HA decisions keeping only changes. A cycle that
 * decides what the previous one decided, on the same inputs (WAL positions, lag and lease time
 * aside, which move every cycle), raises the last entry's count and time range instead of adding
 * one. The oldest entries fall off past `capacity`. Time comes in with each record: no clock here.
 */
export class Journal {
  private readonly ring: JournalEntry[] = [];
  private readonly listeners = new Set<JournalListener>();
  private lastKey: string | null = null;
  private cycle = 0;

  constructor(readonly capacity: number = DEFAULT_JOURNAL_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`journal capacity must be a positive integer, got ${capacity}`);
    }
  }

  /** The newest cycle sequence number (0 before the first record). */
  get seq(): number {
    return this.cycle;
  }

  /** Adds one cycle's decision at wall time `atMs`; returns the entry it went into. */
  record(decision: DecisionRecord, atMs: number): JournalEntry {
    this.cycle += 1;
    const at = new Date(atMs).toISOString();
    const key = identity(decision);
    const last = this.ring[this.ring.length - 1];
    if (last !== undefined && key === this.lastKey) {
      // Positions and lease time are the latest ones; what decided it is unchanged.
      const merged: JournalEntry = {
        ...last,
        inputs: decision.inputs,
        race: decision.race,
        lastSeq: this.cycle,
        last: at,
        count: last.count + 1,
      };
      this.ring[this.ring.length - 1] = merged;
      this.emit({ type: 'repeated', entry: merged });
      return merged;
    }
    const entry: JournalEntry = {
      ...decision,
      kind: decision.reason.kind,
      seq: this.cycle,
      lastSeq: this.cycle,
      first: at,
      last: at,
      count: 1,
    };
    this.ring.push(entry);
    if (this.ring.length > this.capacity) this.ring.splice(0, this.ring.length - this.capacity);
    this.lastKey = key;
    this.emit({ type: 'added', entry });
    return entry;
  }

  /** Entries oldest first; with `since`, only those that changed after it. */
  entries(since: JournalSince = null): JournalEntry[] {
    if (since === null) return [...this.ring];
    if ('seq' in since) return this.ring.filter((e) => e.lastSeq > since.seq);
    return this.ring.filter((e) => Date.parse(e.last) >= since.time);
  }

  /**
   * Calls `listener` for every entry added or repeated from now on, synchronously inside
   * `record`; returns the function that unsubscribes. A listener that throws is dropped, so one
   * broken subscriber (a closed dashboard stream) cannot break the HA loop.
   */
  subscribe(listener: JournalListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private emit(event: JournalEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        this.listeners.delete(listener);
      }
    }
  }
}

/** What makes two cycles "the same decision": everything but positions, lag and lease time. */
function identity(d: DecisionRecord): string {
  const i = d.inputs;
  return JSON.stringify([
    d.member,
    d.sentence,
    d.reason,
    d.log,
    d.actions,
    i.dcsReachable,
    i.lockOwner,
    i.role,
    i.pgState,
    i.timeline,
    i.failover,
    i.paused,
    i.sync,
    i.inFlight,
    d.race === null
      ? null
      : [
          d.race.raced,
          d.race.refusal?.kind ?? null,
          d.race.peers.map((p) => [p.name, p.verdict.kind]),
        ],
  ]);
}
