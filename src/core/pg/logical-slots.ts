import type { Lsn } from '../model/lsn.js';
import type { ExistingSlot, SlotSpec } from './slots.js';

/**
 * Permanent logical slots (spec/core.md §13.2 steps 5-6). A logical slot cannot be created on a
 * standby before PostgreSQL 16, so Patroni 3.0.2 creates it on the primary, publishes each one's
 * `confirmed_flush_lsn` in `/status.slots`, copies the slot's state file to replicas and moves
 * their copy forward with `pg_replication_slot_advance`; after a failover the new primary has the
 * slot, at most one loop behind, and logical consumers carry on.
 */

type LogicalSpec = Extract<SlotSpec, { type: 'logical' }>;

function matchesLogical(spec: LogicalSpec, slot: ExistingSlot): boolean {
  return slot.type === 'logical' && slot.plugin === spec.plugin && slot.database === spec.database;
}

function desiredLogical(desired: ReadonlyMap<string, SlotSpec>): [string, LogicalSpec][] {
  const out: [string, LogicalSpec][] = [];
  for (const [name, spec] of desired) if (spec.type === 'logical') out.push([name, spec]);
  return out;
}

/**
 * What the primary writes to `/status.slots` (`process_permanent_slots`): the confirmed_flush_lsn
 * of every permanent logical slot it has as configured. Other slots (member slots, ignored or
 * unmanaged ones) are not published, so replicas never copy them.
 */
export function publishedSlotPositions(
  desired: ReadonlyMap<string, SlotSpec>,
  existing: readonly ExistingSlot[],
): Record<string, Lsn> {
  const out: Record<string, Lsn> = {};
  for (const [name, spec] of desiredLogical(desired)) {
    const slot = existing.find((s) => s.name === name);
    const lsn = slot?.confirmedFlushLsn;
    if (slot !== undefined && matchesLogical(spec, slot) && lsn !== undefined && lsn !== null) {
      out[name] = lsn;
    }
  }
  return out;
}

export interface SlotAdvance {
  readonly name: string;
  readonly database: string;
  readonly lsn: Lsn;
}

export interface ReplicaLogicalWork {
  /** Copies behind the primary: `pg_replication_slot_advance(name, lsn)` in `database`. */
  readonly advance: readonly SlotAdvance[];
  /** Missing here but published by the primary: copy its state file (`copy_logical_slots`). */
  readonly copy: readonly string[];
}

/**
 * `_ensure_logical_slots_replica`: for each permanent logical slot a replica should carry, advance
 * the copy it has when the primary's published position is ahead, or copy it when it has none.
 * A slot the primary does not publish yet (not created there, or wal_level still replica) is
 * left alone: there is nothing to copy.
 */
export function replicaLogicalWork(
  desired: ReadonlyMap<string, SlotSpec>,
  existing: readonly ExistingSlot[],
  published: Readonly<Record<string, Lsn>>,
): ReplicaLogicalWork {
  const advance: SlotAdvance[] = [];
  const copy: string[] = [];
  for (const [name, spec] of desiredLogical(desired)) {
    const target = published[name];
    if (target === undefined) continue;
    const slot = existing.find((s) => s.name === name);
    if (slot === undefined || !matchesLogical(spec, slot)) {
      copy.push(name);
      continue;
    }
    const here = slot.confirmedFlushLsn ?? 0;
    if (here < target) advance.push({ name, database: spec.database, lsn: target });
  }
  return { advance, copy };
}

/**
 * `should_enforce_hot_standby_feedback`: a replica that carries permanent logical slots needs
 * `hot_standby_feedback`, or the primary may vacuum catalog rows the copies still need.
 */
export function needsHotStandbyFeedback(desired: ReadonlyMap<string, SlotSpec>): boolean {
  return desiredLogical(desired).length > 0;
}
