import type { Lsn } from '../model/lsn.js';
import { isValidSlotName, slotNameFromMemberName } from './slot-name.js';

export type SlotSpec =
  | { readonly type: 'physical' }
  | { readonly type: 'logical'; readonly database: string; readonly plugin: string };

/** A slot as pg_replication_slots shows it. */
export interface ExistingSlot {
  readonly name: string;
  readonly type: 'physical' | 'logical';
  readonly plugin: string | null;
  readonly database: string | null;
  readonly active: boolean;
  /** Logical slots: how far the consumer confirmed (PG 10+), null when unknown. */
  readonly confirmedFlushLsn?: Lsn | null;
}

export interface SlotMember {
  readonly name: string;
  readonly replicatefrom?: string | undefined;
}

export interface DesiredSlotsInput {
  readonly role: 'primary' | 'standby_leader' | 'replica';
  readonly selfName: string;
  readonly leaderName: string | null;
  readonly members: readonly SlotMember[];
  readonly useSlots: boolean;
  /** `/config` `slots`: name → null | {} | {type, database, plugin}. */
  readonly permanent: Readonly<Record<string, unknown>>;
  readonly nofailover: boolean;
}

export interface DesiredSlots {
  readonly slots: ReadonlyMap<string, SlotSpec>;
  /** Invalid permanent slot entries and name collisions, to be logged. */
  readonly errors: readonly string[];
}

/** Spec/core.md §13.1: the slots this node should have, by role. */
export function desiredSlots(input: DesiredSlotsInput): DesiredSlots {
  const slots = new Map<string, SlotSpec>();
  const errors: string[] = [];
  const mySlot = slotNameFromMemberName(input.selfName);
  if (input.useSlots) {
    for (const name of memberSlotOwners(input)) {
      const slot = slotNameFromMemberName(name);
      if (slots.has(slot)) errors.push(`Replication slot name collision for member '${name}'`);
      slots.set(slot, { type: 'physical' });
    }
  }
  for (const [name, raw] of Object.entries(input.permanent)) {
    const spec = parsePermanentSlot(name, raw);
    if (typeof spec === 'string') {
      errors.push(spec);
      continue;
    }
    if (!wantPermanent(input, spec)) continue;
    if (spec.type === 'physical' && name === mySlot) continue;
    if (spec.type === 'logical' && slots.has(name)) {
      errors.push(`Permanent logical replication slot ${name} conflicts with a member slot`);
      continue;
    }
    slots.set(name, spec);
  }
  return { slots, errors };
}

function memberSlotOwners(input: DesiredSlotsInput): string[] {
  const names = new Set(input.members.map((m) => m.name));
  const others = input.members.filter((m) => m.name !== input.selfName);
  if (input.role === 'replica') {
    return others
      .filter((m) => m.replicatefrom === input.selfName && m.name !== input.leaderName)
      .map((m) => m.name);
  }
  // A member cascading from another existing member gets its slot there, not here.
  return others
    .filter((m) => {
      const from = m.replicatefrom;
      return from === undefined || from === input.selfName || !names.has(from);
    })
    .map((m) => m.name);
}

function wantPermanent(input: DesiredSlotsInput, spec: SlotSpec): boolean {
  if (input.role === 'primary') return input.useSlots || spec.type === 'physical';
  if (input.role === 'standby_leader') return spec.type === 'physical';
  return spec.type === 'logical' && input.useSlots && !input.nofailover;
}

/** A permanent slot entry, or the reason it is invalid. */
export function parsePermanentSlot(name: string, raw: unknown): SlotSpec | string {
  if (!isValidSlotName(name)) return `Invalid permanent replication slot name '${name}'`;
  if (raw === null || raw === undefined) return { type: 'physical' };
  if (typeof raw !== 'object') return `Invalid value of permanent replication slot '${name}'`;
  const v = raw as Record<string, unknown>;
  const database = v['database'];
  const plugin = v['plugin'];
  const type =
    v['type'] ?? (database !== undefined && plugin !== undefined ? 'logical' : 'physical');
  if (type === 'physical') return { type: 'physical' };
  if (type === 'logical' && typeof database === 'string' && typeof plugin === 'string') {
    return { type: 'logical', database, plugin };
  }
  return `Invalid permanent replication slot '${name}': ${JSON.stringify(raw)}`;
}

/** An `ignore_slots` matcher: every field given must equal the slot's. */
export interface IgnoreSlotMatcher {
  readonly name?: string;
  readonly type?: string;
  readonly database?: string;
  readonly plugin?: string;
}

export interface SlotPlan {
  readonly create: readonly { readonly name: string; readonly spec: SlotSpec }[];
  readonly drop: readonly string[];
  /** Unwanted but still in use: retried next cycle. */
  readonly busy: readonly string[];
}

/** Spec/core.md §13.2: desired vs existing → what to drop (only inactive) and create. */
export function planSlots(
  desired: ReadonlyMap<string, SlotSpec>,
  existing: readonly ExistingSlot[],
  options: {
    readonly paused: boolean;
    readonly ignore: readonly IgnoreSlotMatcher[];
    /**
     * Only a primary creates logical slots: a standby (before PostgreSQL 16) refuses, so a
     * replica's copies come from the primary's state files (core/pg/logical-slots.ts).
     */
    readonly createLogical: boolean;
  },
): SlotPlan {
  const drop: string[] = [];
  const busy: string[] = [];
  const create: { name: string; spec: SlotSpec }[] = [];
  const kept = new Set<string>();
  for (const slot of existing) {
    const want = desired.get(slot.name);
    if (want !== undefined && sameSlot(want, slot)) {
      kept.add(slot.name);
      continue;
    }
    if (want === undefined && (options.paused || options.ignore.some((m) => matches(m, slot)))) {
      kept.add(slot.name);
      continue;
    }
    if (slot.active) busy.push(slot.name);
    else drop.push(slot.name);
    if (slot.active) kept.add(slot.name);
  }
  for (const [name, spec] of desired) {
    if (kept.has(name) || (spec.type === 'logical' && !options.createLogical)) continue;
    create.push({ name, spec });
  }
  return { create, drop, busy };
}

function sameSlot(want: SlotSpec, have: ExistingSlot): boolean {
  if (want.type !== have.type) return false;
  return (
    want.type === 'physical' || (want.plugin === have.plugin && want.database === have.database)
  );
}

function matches(m: IgnoreSlotMatcher, s: ExistingSlot): boolean {
  return (
    (m.name === undefined || m.name === s.name) &&
    (m.type === undefined || m.type === s.type) &&
    (m.database === undefined || m.database === s.database) &&
    (m.plugin === undefined || m.plugin === s.plugin)
  );
}
