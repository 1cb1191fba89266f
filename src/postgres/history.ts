import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { historyFileName, parseHistoryFile } from '../core/pg/history.js';
import type { HistoryFileLine } from '../core/pg/history.js';
import type { PgContext } from './context.js';

export interface TimelineHistoryFile {
  readonly lines: readonly HistoryFileLine[];
  /** mtime of the file (epoch ms): the timestamp Patroni puts on the newest line. */
  readonly mtimeMs: number;
}

/**
 * `pg_wal/<TLI>.history` of the current timeline, for the DCS `history` key (spec/core.md §12).
 * null when the timeline is 1 or the file is missing.
 */
export async function readTimelineHistory(
  ctx: PgContext,
  timeline: number,
): Promise<TimelineHistoryFile | null> {
  if (timeline <= 1) return null;
  const file = join(ctx.paths.walDir, historyFileName(timeline));
  try {
    const [text, st] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    return { lines: parseHistoryFile(text), mtimeMs: st.mtimeMs };
  } catch {
    return null;
  }
}
