import { FIGURES, type FigureSpec } from '../scenarios/figures.js';
import { spread, type Samples } from './samples.js';
import type { System } from './system.js';

function cell(values: readonly number[], digits: number, failures: number): string {
  const s = spread(values);
  const flag = failures > 0 ? ` (${failures} failed)` : '';
  if (s === null) return failures > 0 ? `failed x${failures}` : '-';
  const f = (n: number): string => n.toFixed(digits);
  return `${f(s.min)} / ${f(s.median)} / ${f(s.max)}${flag}`;
}

function ratioCell(f: FigureSpec, ours: readonly number[], theirs: readonly number[]): string[] {
  const a = spread(ours);
  const b = spread(theirs);
  if (a === null || b === null) return ['-', f.target === undefined ? '' : targetText(f), ''];
  if (b.median === 0) return [a.median === 0 ? '1.00' : 'inf', targetText(f), ''];
  // Judged as printed: a ratio shown as 1.00 against "<= 1" is met, not missed by 0.0008.
  const r = Number((a.median / b.median).toFixed(2));
  const ok =
    f.target === undefined ? '' : f.target.op === '<=' ? r <= f.target.ratio : r >= f.target.ratio;
  return [r.toFixed(2), targetText(f), ok === '' ? '' : ok ? 'met' : 'MISSED'];
}

function targetText(f: FigureSpec): string {
  return f.target === undefined ? '' : `${f.target.op} ${f.target.ratio}`;
}

/**
 * The table: one row per figure, min / median / max per system, ratio of medians. A figure no
 * system measured (its scenario was not run: `--scenarios`) has no row.
 */
export function renderTable(
  systems: readonly System[],
  results: ReadonlyMap<string, Samples>,
): string {
  const header = ['figure', 'unit', ...systems.map((s) => `${s.label} min / med / max`)];
  const sideBySide = systems.length === 2;
  if (sideBySide) header.push('ratio', 'target', '');
  const measured = (f: FigureSpec): boolean =>
    systems.some((s) => {
      const p = results.get(s.name);
      return (p?.get(f.key).length ?? 0) > 0 || (p?.failuresOf(f.key).length ?? 0) > 0;
    });
  const rows = FIGURES.filter(measured).map((f) => {
    const per = systems.map((s) => results.get(s.name));
    const row = [
      f.label,
      f.unit,
      ...per.map((p) => cell(p?.get(f.key) ?? [], f.digits, p?.failuresOf(f.key).length ?? 0)),
    ];
    if (sideBySide) row.push(...ratioCell(f, per[0]?.get(f.key) ?? [], per[1]?.get(f.key) ?? []));
    return row;
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join(' | ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}
