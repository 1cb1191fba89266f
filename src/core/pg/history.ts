import type { Lsn } from '../model/lsn.js';
import { parseLsn } from '../model/lsn.js';

/** One line of a `<TLI>.history` file: the parent timeline, where it ended, and why. */
export interface HistoryFileLine {
  readonly parentTimeline: number;
  readonly switchLsn: Lsn;
  readonly reason: string;
}

/** Parses `parent<TAB>X/Y<TAB>reason` lines; comments, blanks and garbage are skipped. */
export function parseHistoryFile(text: string): HistoryFileLine[] {
  const out: HistoryFileLine[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const parts = line.split('\t');
    const tli = Number(parts[0]);
    const lsn = parseLsn(parts[1] ?? '');
    if (!Number.isInteger(tli) || lsn === null) continue;
    out.push({ parentTimeline: tli, switchLsn: lsn, reason: parts.slice(2).join('\t').trim() });
  }
  return out;
}

/** `<TLI as 8 hex digits>.history`. */
export function historyFileName(timeline: number): string {
  return `${timeline.toString(16).toUpperCase().padStart(8, '0')}.history`;
}

/** The timeline encoded in the first 8 hex digits of a WAL file name. */
export function timelineOfWalFileName(name: string): number | null {
  if (!/^[0-9A-F]{24}$/i.test(name)) return null;
  return parseInt(name.slice(0, 8), 16);
}
