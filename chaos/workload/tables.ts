import { queryOnce } from './pg.js';

/** The numbered rows the writers commit; an id is used once across all writers. */
export const ROWS_TABLE = 'chaos_rows';
/** Where the split-brain probe writes; its rows are never checked, only whether a write took. */
export const PROBE_TABLE = 'chaos_probe';

/** Creates both tables on the primary (through `primaryUrl`) before the workload starts. */
export async function createTables(primaryUrl: string): Promise<void> {
  await queryOnce(
    primaryUrl,
    `CREATE TABLE IF NOT EXISTS ${ROWS_TABLE} (id bigint PRIMARY KEY, writer int NOT NULL, at timestamptz NOT NULL DEFAULT now());
     CREATE TABLE IF NOT EXISTS ${PROBE_TABLE} (node text NOT NULL, at timestamptz NOT NULL DEFAULT now())`,
  );
}

/** Every id in the rows table of the node at `url` (the final leader). */
export async function presentIds(url: string): Promise<number[]> {
  const rows = await queryOnce<{ id: string }>(url, `SELECT id FROM ${ROWS_TABLE}`, 60_000);
  return rows.map((r) => Number(r.id));
}
