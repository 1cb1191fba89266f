import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Schedule } from '../schedule/schedule.js';
import { renderReport } from './render.js';
import type { ColumnResult } from './types.js';

/**
 * Writes `<stamp>.md` (the tables) and `<stamp>.json` (everything: per fault, and each column's
 * raw history) under `dir`.
 */
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
  await writeFile(jsonPath, `${resultsJson({ schedule, columns, failures })}\n`);
  return { markdown, jsonPath, mdPath };
}

/**
 * JSON indented like `JSON.stringify(v, null, 2)`, except that an array of plain values (numbers,
 * strings, booleans, null) stays on one line: the raw history's tens of thousands of tuples then
 * take a line each rather than six, and the file stays readable.
 */
export function resultsJson(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    if (items.length === 0) return '[]';
    if (items.every(isPlain)) return `[${items.map((v) => JSON.stringify(v)).join(', ')}]`;
    const inner = `${indent}  `;
    return `[\n${items.map((v) => `${inner}${resultsJson(v, inner)}`).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const inner = `${indent}  `;
    const body = entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${resultsJson(v, inner)}`);
    return `{\n${body.join(',\n')}\n${indent}}`;
  }
  // What JSON.stringify would leave out of an object or turn into null in an array.
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol')
    return 'null';
  return JSON.stringify(value);
}

function isPlain(v: unknown): boolean {
  return v === null || ['number', 'string', 'boolean'].includes(typeof v);
}
