import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Schedule } from '../schedule/schedule.js';
import { renderReport } from './render.js';
import type { ColumnResult } from './types.js';

/** Writes `<stamp>.md` (the tables) and `<stamp>.json` (everything, per fault) under `dir`. */
export async function writeReport(
  dir: string,
  columns: readonly ColumnResult[],
  schedule: Schedule,
  scheduleText: string,
  failures: readonly string[] = [],
): Promise<{ markdown: string; jsonPath: string; mdPath: string }> {
  await mkdir(dir, { recursive: true });
  const stamp = `chaos-seed${schedule.seed}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const markdown = renderReport(columns, scheduleText, failures);
  const mdPath = join(dir, `${stamp}.md`);
  const jsonPath = join(dir, `${stamp}.json`);
  await writeFile(mdPath, markdown);
  await writeFile(jsonPath, `${JSON.stringify({ schedule, columns, failures }, null, 2)}\n`);
  return { markdown, jsonPath, mdPath };
}
