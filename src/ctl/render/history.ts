import type { ClusterSnapshot } from '../../core/model/index.js';
import { formatOutput } from './output.js';
import { safeDump } from './pyyaml.js';

const HISTORY_COLUMNS = ['TL', 'LSN', 'Reason', 'Timestamp', 'New Leader'];

/** `patronictl history`: short lines padded with empty strings; all keys kept in json/yaml. */
export function renderHistory(cluster: ClusterSnapshot, fmt = 'pretty'): string | null {
  const lines = cluster.history?.lines ?? [];
  const rows = lines.map((line) => {
    const row: unknown[] = [...line];
    while (row.length < HISTORY_COLUMNS.length) row.push('');
    return row;
  });
  return formatOutput({ columns: HISTORY_COLUMNS, rows, align: { TL: 'r', LSN: 'r' }, fmt });
}

/** `show-config`: the dynamic configuration as PyYAML block style, sorted keys. */
export function renderConfig(data: Readonly<Record<string, unknown>>): string {
  return safeDump(data);
}
