/**
 * The table look of patronictl 3.0.2: Python PrettyTable with one padding space, frame-only rules
 * (or a rule under every row once any cell spans several lines), and the cluster title written
 * over the start of the top border (`+ Cluster: batman ---+---`). Operators and scripts parse it.
 */
export type Align = 'l' | 'r';

export interface TableSpec {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Per-column alignment; columns not listed are left-aligned. */
  readonly align?: Readonly<Record<string, Align>>;
  /** Text written over the top border, e.g. ` Cluster: batman `. */
  readonly title?: string | null;
}

/** Display width of one line: code points (patronictl output is ASCII in practice). */
function width(s: string): number {
  return Array.from(s).length;
}

function justify(text: string, size: number, align: Align): string {
  const pad = ' '.repeat(Math.max(0, size - width(text)));
  return align === 'r' ? pad + text : text + pad;
}

/** The whole table, without a trailing newline. */
export function renderPrettyTable(spec: TableSpec): string {
  const { columns, rows } = spec;
  const aligns = columns.map((c) => spec.align?.[c] ?? 'l');
  const cells = rows.map((row) => columns.map((_, i) => (row[i] ?? '').split('\n')));
  const widths = columns.map((c, i) =>
    Math.max(width(c), ...cells.map((row) => Math.max(...(row[i] ?? ['']).map(width)))),
  );
  const rule = '+' + widths.map((w) => '-'.repeat(w + 2)).join('+') + '+';
  const line = (parts: readonly string[]): string =>
    '|' + parts.map((p, i) => ` ${justify(p, widths[i] ?? 0, aligns[i] ?? 'l')} `).join('|') + '|';

  const multiline = cells.some((row) => row.some((cell) => cell.length > 1));
  const out: string[] = [withTitle(rule, spec.title ?? ''), line(columns), rule];
  for (const row of cells) {
    const height = Math.max(...row.map((c) => c.length));
    for (let k = 0; k < height; k++) out.push(line(row.map((c) => c[k] ?? '')));
    if (multiline) out.push(rule);
  }
  if (!multiline) out.push(rule);
  return out.join('\n');
}

/** PatronictlPrettyTable's header injection: the title overwrites the border after the corner. */
function withTitle(rule: string, title: string): string {
  if (title === '') return rule;
  const header = Array.from(title)
    .slice(0, rule.length - 2)
    .join('');
  return '+' + header + rule.slice(1 + header.length);
}
