/**
 * A patronictl switchover while an application writes through HAProxy: what the e2e tests of
 * each DCS check, that writes go on on the new leader and no acknowledged row is lost.
 */
import type { TestNode } from '../support/cluster.js';
import { waitFor } from '../support/postgres.js';
import { switchoverOk } from './ctl.js';
import { ACKED_TABLE_DDL, queryOnce, Writer, type Ack } from './writer.js';

export interface SwitchoverUnderWrites {
  /** Every acknowledged write, in order. */
  readonly acks: readonly Ack[];
  /** The longest pause between two acknowledged writes, up to 20 writes on the new leader (ms). */
  readonly gapMs: number;
}

/**
 * Writes through `rwPort` (20 acknowledged on the old leader first), switches `from` over to
 * `to` with patronictl, and waits for 20 writes acknowledged by `to`; the writer is stopped
 * whatever happens.
 */
export async function switchoverUnderWrites(o: {
  readonly configPath: string;
  readonly scope: string;
  readonly rwPort: number;
  readonly from: TestNode;
  readonly to: TestNode;
}): Promise<SwitchoverUnderWrites> {
  await queryOnce(o.rwPort, ACKED_TABLE_DDL);
  const writer = new Writer(o.rwPort, 1);
  writer.start();
  try {
    await waitFor('writes on the old leader', () => Promise.resolve(writer.acks.length >= 20));
    await switchoverOk(o.configPath, o.scope, o.from.name, o.to.name);
    await waitFor(
      'writes through HAProxy on the new leader',
      () => Promise.resolve(writer.acks.filter((a) => a.port === o.to.pgPort).length >= 20),
      90_000,
    );
    // Writes pause while the old leader shuts down and the candidate promotes, then go on.
    return { acks: writer.acks, gapMs: writer.longestGapSince(writer.acks[0]?.at ?? Date.now()) };
  } finally {
    await writer.stop();
  }
}

/** Ids of `acks` that `node`'s `acked` table lacks. */
export async function missingAcks(acks: readonly Ack[], node: TestNode): Promise<number[]> {
  const rows = await node.sql<{ id: number }>('SELECT id FROM acked');
  const present = new Set(rows.map((r) => r.id));
  return acks.filter((a) => !present.has(a.id)).map((a) => a.id);
}
