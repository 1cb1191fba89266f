import { queryOnce } from '../workload/pg.js';
import type { ChaosNode } from '../types.js';
import { parseHistoryFile, type NodeTimeline } from './timelines.js';

/**
 * A node's timeline as its own files say: the newer of pg_control's checkpoint timeline and its
 * newest history file (a replica switches timeline before its next restartpoint), that history,
 * and where its WAL ends.
 */
export async function readTimeline(node: ChaosNode): Promise<NodeTimeline> {
  const [row] = await queryOnce<{ control: number; newest: string | null; lsn: string | null }>(
    node.pgUrl,
    `SELECT (SELECT timeline_id FROM pg_control_checkpoint()) AS control,
            (SELECT max(name) FROM pg_ls_waldir() WHERE name ~ '^[0-9A-F]{8}\\.history$') AS newest,
            (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
                  ELSE pg_current_wal_flush_lsn() END)::text AS lsn`,
  );
  if (row === undefined) throw new Error(`${node.name}: no answer about its timeline`);
  const fromFile = row.newest === null ? 0 : parseInt(row.newest.slice(0, 8), 16);
  const history =
    row.newest === null
      ? []
      : parseHistoryFile(
          (
            await queryOnce<{ text: string }>(
              node.pgUrl,
              `SELECT pg_read_file('pg_wal/${row.newest}') AS text`,
            )
          )[0]?.text ?? '',
        );
  return {
    node: node.name,
    timeline: Math.max(row.control, fromFile),
    history,
    ...(row.lsn === null ? {} : { lsn: row.lsn }),
  };
}
