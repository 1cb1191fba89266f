import type { TimelineHistoryLine } from '../core/model/cluster.js';
import type { ClusterSnapshot } from '../core/model/cluster.js';
import type { TimelineHistoryFile } from '../postgres/history.js';

/** Python's `datetime.isoformat()` with the local UTC offset, from epoch ms. */
export function pythonIsoFormat(epochMs: number): string {
  const d = new Date(epochMs);
  const offsetMin = -d.getTimezoneOffset();
  const local = new Date(epochMs + offsetMin * 60_000);
  const base = local.toISOString().slice(0, 19);
  const micros = String(Math.floor((epochMs % 1000) * 1000)).padStart(6, '0');
  const sign = offsetMin >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMin);
  const off = `${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${base}.${micros}${sign}${off}`;
}

/**
 * The `/history` value after a promotion (spec/core.md §2.6): the lines of our timeline's history
 * file; the newest gets the file's mtime and our name; older ones keep the timestamp and leader
 * already stored in the DCS when their switch LSN matches.
 */
export function buildHistory(
  file: TimelineHistoryFile | null,
  timeline: number,
  cluster: ClusterSnapshot | null,
  me: string,
): TimelineHistoryLine[] {
  if (file === null) return [];
  const stored = new Map<number, TimelineHistoryLine>();
  for (const line of cluster?.history?.lines ?? []) stored.set(line[0], line);
  return file.lines.map((l): TimelineHistoryLine => {
    if (l.parentTimeline === timeline - 1) {
      return [l.parentTimeline, l.switchLsn, l.reason, pythonIsoFormat(file.mtimeMs), me];
    }
    const old = stored.get(l.parentTimeline);
    if (old !== undefined && old[1] === l.switchLsn && old[3] !== undefined) {
      return old[4] === undefined
        ? [l.parentTimeline, l.switchLsn, l.reason, old[3]]
        : [l.parentTimeline, l.switchLsn, l.reason, old[3], old[4]];
    }
    return [l.parentTimeline, l.switchLsn, l.reason];
  });
}
