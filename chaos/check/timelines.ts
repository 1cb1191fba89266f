/** One line of a timeline history file: timeline `tli` ended at `switchpoint` (an LSN). */
export interface HistoryEntry {
  readonly tli: number;
  readonly switchpoint: string;
}

/** What one node says about its timeline, read after the run. */
export interface NodeTimeline {
  readonly node: string;
  readonly timeline: number;
  /** The entries of its newest history file (empty on timeline 1). */
  readonly history: readonly HistoryEntry[];
  /** Where its WAL ends (flush on a primary, replay on a replica), when known. */
  readonly lsn?: string;
}

export interface TimelinesVerdict {
  /** Every node on one history: no two disagree about where a timeline ended. */
  readonly single: boolean;
  readonly timelines: Readonly<Record<string, number>>;
  readonly problems: readonly string[];
}

/** Parses `00000003.history`: `parentTLI<TAB>switchpoint<TAB>reason` lines, `#` comments. */
export function parseHistoryFile(text: string): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [tli, switchpoint] = line.split(/\s+/);
    if (tli === undefined || switchpoint === undefined || !/^\d+$/.test(tli)) {
      throw new Error(`timeline history: cannot read line '${line}'`);
    }
    out.push({ tli: Number(tli), switchpoint });
  }
  return out;
}

/** An LSN `X/Y` as a number that orders like the LSN. */
export function lsnValue(lsn: string): bigint {
  const m = /^([0-9A-Fa-f]+)\/([0-9A-Fa-f]+)$/.exec(lsn);
  if (m === null) throw new Error(`not an LSN: '${lsn}'`);
  return (BigInt(`0x${m[1]}`) << 32n) + BigInt(`0x${m[2]}`);
}

/**
 * Timelines form a single history when the node on the newest timeline has a history that every
 * other node's history is a prefix of, and no node on an older timeline wrote past the point where
 * that timeline ended (it would have diverged: the WAL a rewind must throw away).
 */
export function checkTimelines(nodes: readonly NodeTimeline[]): TimelinesVerdict {
  const timelines = Object.fromEntries(nodes.map((n) => [n.node, n.timeline]));
  if (nodes.length === 0) return { single: true, timelines, problems: [] };
  const ref = nodes.reduce((a, b) => (b.timeline > a.timeline ? b : a));
  const ended = new Map(ref.history.map((h) => [h.tli, h.switchpoint]));
  const problems: string[] = [];
  for (const n of nodes) {
    if (n === ref) continue;
    for (const h of n.history) {
      const theirs = ended.get(h.tli);
      if (theirs !== h.switchpoint) {
        problems.push(
          `${n.node}: timeline ${h.tli} ended at ${h.switchpoint}, ${ref.node} says ${theirs ?? 'it did not end'}`,
        );
      }
    }
    if (n.timeline === ref.timeline && n.history.length !== ref.history.length) {
      problems.push(
        `${n.node} and ${ref.node} are both on timeline ${n.timeline} by different histories`,
      );
    }
    const end = ended.get(n.timeline);
    if (n.timeline < ref.timeline && end !== undefined && n.lsn !== undefined) {
      if (lsnValue(n.lsn) > lsnValue(end)) {
        problems.push(
          `${n.node}: on timeline ${n.timeline} at ${n.lsn}, past its end at ${end} (diverged)`,
        );
      }
    }
  }
  return { single: problems.length === 0, timelines, problems };
}
