import { pyJsonDumps } from './pyjson.js';
import { safeDump } from './pyyaml.js';
import { renderPrettyTable, type Align } from './pretty-table.js';

/** `-f/--format` values. 3.0.2 accepts any string and prints nothing for an unknown one. */
export type OutputFormat = 'pretty' | 'tsv' | 'json' | 'yaml' | 'yml' | 'topology';

export const OUTPUT_FORMATS: readonly OutputFormat[] = [
  'pretty',
  'tsv',
  'json',
  'yaml',
  'yml',
  'topology',
];

export interface OutputSpec {
  readonly columns: readonly string[];
  /** Cells keep their JSON types: json/yaml print them typed, tables print Python's `str()`. */
  readonly rows: readonly (readonly unknown[])[];
  readonly align?: Readonly<Record<string, Align>>;
  readonly fmt: string;
  /** The cluster title; when set (member lists), json/yaml omit empty cells. */
  readonly title?: string | null;
  readonly delimiter?: string;
}

/** Python's `str()` of a JSON value, as PrettyTable and the tsv writer print cells. */
export function pyStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pyJsonDumps(value);
  return pyJsonDumps(value);
}

/**
 * patronictl's `print_output`: the text click.echo receives (the caller adds the final newline),
 * or null when the format prints nothing.
 */
export function formatOutput(spec: OutputSpec): string | null {
  const title = spec.title ?? null;
  const fmt = spec.fmt;
  if (fmt === 'json' || fmt === 'yaml' || fmt === 'yml') {
    const elements = spec.rows.map((row) => {
      const el: Record<string, unknown> = {};
      spec.columns.forEach((c, i) => {
        const v = row[i];
        if (title === null || pyStr(v) !== '') el[c] = v;
      });
      return el;
    });
    return fmt === 'json' ? pyJsonDumps(elements) : safeDump(elements);
  }
  if (fmt !== 'pretty' && fmt !== 'tsv' && fmt !== 'topology') return null;
  let columns = [...spec.columns];
  let rows = spec.rows.map((r) => [...r]);
  const listCluster = title !== null && title !== '' && columns[0] === 'Cluster';
  if (listCluster && columns.includes('Tags')) {
    const i = columns.indexOf('Tags');
    for (const row of rows) {
      const tags = row[i];
      if (tags !== undefined && tags !== '' && tags !== null) {
        row[i] = safeDump(tags, { flow: fmt !== 'pretty' }).trim();
      }
    }
  }
  if (listCluster && fmt !== 'tsv') {
    const skip = title.includes(' (group: ') ? 2 : 1;
    columns = columns.slice(skip);
    rows = rows.map((r) => r.slice(skip));
  }
  if (fmt === 'tsv') {
    const delimiter = spec.delimiter ?? '\t';
    const lines = [...(columns.length > 0 ? [columns] : []), ...rows];
    if (lines.length === 0) return null;
    return lines.map((r) => r.map(pyStr).join(delimiter)).join('\n');
  }
  return renderPrettyTable({
    columns,
    rows: rows.map((r) => r.map(pyStr)),
    align: spec.align ?? {},
    title,
  });
}
