import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cluster, member } from '../core/ha/test-builders.js';
import type { ExistingSlot, SlotPlan } from '../core/pg/slots.js';
import type { SlotAdvance } from '../core/pg/logical-slots.js';
import type { Postgresql } from '../postgres/postgresql.js';
import { MemoryLogger } from '../shared/log/logger.js';
import { AsyncSlot } from './async-slot.js';
import type { NodeRuntime } from './runtime.js';
import { COPY_LOGICAL_SLOTS, ReplicationSlots } from './slots.js';

const PERMANENT = {
  test_logical: { type: 'logical', database: 'postgres', plugin: 'test_decoding' },
};

function slotRow(name: string, over: Partial<ExistingSlot> = {}): ExistingSlot {
  return {
    name,
    type: 'logical',
    plugin: 'test_decoding',
    database: 'postgres',
    active: false,
    confirmedFlushLsn: 1000,
    ...over,
  };
}

/** What the shell asked PostgreSQL to do. */
interface Seen {
  plans: SlotPlan[];
  advanced: SlotAdvance[];
  copied: { leader: string; names: string[] }[];
  feedback: boolean[];
}

function setup(opts: {
  primary: boolean;
  existing: ExistingSlot[];
  published?: Record<string, number>;
  advance?: 'advanced' | 'recopy';
}) {
  const seen: Seen = { plans: [], advanced: [], copied: [], feedback: [] };
  const pg = {
    observedSlots: () => Promise.resolve(opts.existing),
    applySlotPlan: (plan: SlotPlan) => {
      seen.plans.push(plan);
      return Promise.resolve();
    },
    enforceHotStandbyFeedback: (on: boolean) => {
      seen.feedback.push(on);
      return Promise.resolve();
    },
    advanceLogicalSlot: (a: SlotAdvance) => {
      seen.advanced.push(a);
      return Promise.resolve(opts.advance ?? 'advanced');
    },
    copyLogicalSlots: (leader: { name: string }, wanted: ReadonlyMap<string, unknown>) => {
      seen.copied.push({ leader: leader.name, names: [...wanted.keys()] });
      return Promise.resolve(true);
    },
  } as unknown as Postgresql;
  const log = new MemoryLogger();
  const slot = new AsyncSlot(
    log,
    () => 0,
    () => undefined,
  );
  const runtime = {
    cluster: cluster({
      members: [member('node1', { role: 'primary' }), member('node2')],
      slots: opts.published ?? {},
    }),
    pg: { accepting: true, inRecovery: !opts.primary },
    memory: { role: opts.primary ? 'primary' : 'replica' },
    self: { name: opts.primary ? 'node1' : 'node2', tags: { nofailover: false } },
    effective: {
      ha: { useSlots: true },
      permanentSlots: PERMANENT,
      ignoreSlots: [],
      pause: false,
    },
  } as unknown as NodeRuntime;
  return { slots: new ReplicationSlots(pg, slot, log), runtime, seen, slot, log };
}

describe('ReplicationSlots on the primary', () => {
  it('creates the permanent logical slot and publishes its position', async () => {
    const { slots, runtime, seen } = setup({ primary: true, existing: [] });
    await slots.sync(runtime);
    assert.deepEqual(
      seen.plans[0]?.create.map((c) => c.name),
      ['node2', 'test_logical'],
    );
    assert.deepEqual(await slots.published(runtime), {});
    const withSlot = setup({ primary: true, existing: [slotRow('test_logical')] });
    assert.deepEqual(await withSlot.slots.published(withSlot.runtime), { test_logical: 1000 });
  });
});

describe('ReplicationSlots on a replica', () => {
  it('copies a published slot it lacks from the leader, in the async slot', async () => {
    const { slots, runtime, seen, slot, log } = setup({
      primary: false,
      existing: [],
      published: { test_logical: 5000 },
    });
    await slots.sync(runtime);
    await slot.idle(1);
    assert.equal(slot.takeFinished()?.action, COPY_LOGICAL_SLOTS);
    assert.deepEqual(seen.copied, [{ leader: 'node1', names: ['test_logical'] }]);
    assert.deepEqual(seen.plans, [], 'no pg_create_logical_replication_slot on a standby');
    assert.deepEqual(seen.feedback, [true]);
    assert.ok(
      log.lines.some(
        (l) => l.message === "Copying logical slots ['test_logical'] from the primary",
      ),
    );
    assert.equal(await slots.published(runtime), null);
  });

  it('advances a copy that is behind; WAL gone means a fresh copy next cycle', async () => {
    const { slots, runtime, seen, slot } = setup({
      primary: false,
      existing: [slotRow('test_logical', { confirmedFlushLsn: 1000 })],
      published: { test_logical: 5000 },
      advance: 'recopy',
    });
    await slots.sync(runtime);
    assert.equal(slot.takeFinished(), null, 'nothing to copy yet');
    // The advance runs in the background; let it finish.
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(seen.advanced, [{ name: 'test_logical', database: 'postgres', lsn: 5000 }]);
    await slots.sync(runtime);
    await slot.idle(1);
    assert.deepEqual(seen.copied, [{ leader: 'node1', names: ['test_logical'] }]);
  });

  it('leaves a slot alone until the primary publishes it', async () => {
    const { slots, runtime, seen, slot } = setup({ primary: false, existing: [] });
    await slots.sync(runtime);
    await slot.idle(1);
    assert.equal(slot.takeFinished(), null);
    assert.deepEqual([seen.copied, seen.advanced], [[], []]);
  });
});
