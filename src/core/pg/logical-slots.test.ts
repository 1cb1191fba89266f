import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  needsHotStandbyFeedback,
  publishedSlotPositions,
  replicaLogicalWork,
} from './logical-slots.js';
import { desiredSlots, planSlots } from './slots.js';
import type { ExistingSlot, SlotSpec } from './slots.js';

const logical = (database = 'postgres', plugin = 'test_decoding'): SlotSpec => ({
  type: 'logical',
  database,
  plugin,
});

const slot = (over: Partial<ExistingSlot> & { name: string }): ExistingSlot => ({
  type: 'logical',
  plugin: 'test_decoding',
  database: 'postgres',
  active: false,
  confirmedFlushLsn: 1000,
  ...over,
});

const desired: ReadonlyMap<string, SlotSpec> = new Map([
  ['test_logical', logical()],
  ['pm_1', { type: 'physical' } as const],
]);

describe('publishedSlotPositions (/status.slots on the primary)', () => {
  it('publishes only permanent logical slots that exist as configured', () => {
    const existing = [
      slot({ name: 'test_logical', confirmedFlushLsn: 5000 }),
      slot({ name: 'pm_1', type: 'physical', plugin: null, database: null }),
      slot({ name: 'unmanaged', confirmedFlushLsn: 9000 }),
    ];
    assert.deepEqual(publishedSlotPositions(desired, existing), { test_logical: 5000 });
  });
  it('a slot with another plugin, or not created yet, is not published', () => {
    assert.deepEqual(
      publishedSlotPositions(desired, [slot({ name: 'test_logical', plugin: 'pgoutput' })]),
      {},
    );
    assert.deepEqual(publishedSlotPositions(desired, []), {});
  });
});

describe('replicaLogicalWork (a replica keeping copies)', () => {
  it('copies a published slot it lacks', () => {
    const work = replicaLogicalWork(desired, [], { test_logical: 5000 });
    assert.deepEqual(work, { advance: [], copy: ['test_logical'] });
  });
  it('leaves alone a slot the primary does not publish yet', () => {
    assert.deepEqual(replicaLogicalWork(desired, [], {}), { advance: [], copy: [] });
  });
  it('advances a copy that is behind, in its database, to the published position', () => {
    const work = replicaLogicalWork(
      desired,
      [slot({ name: 'test_logical', confirmedFlushLsn: 1000 })],
      { test_logical: 5000 },
    );
    assert.deepEqual(work.advance, [{ name: 'test_logical', database: 'postgres', lsn: 5000 }]);
    assert.deepEqual(work.copy, []);
  });
  it('does nothing for a copy already in sync', () => {
    const work = replicaLogicalWork(
      desired,
      [slot({ name: 'test_logical', confirmedFlushLsn: 5000 })],
      { test_logical: 5000 },
    );
    assert.deepEqual(work, { advance: [], copy: [] });
  });
  it('copies again a slot whose definition here differs', () => {
    const work = replicaLogicalWork(desired, [slot({ name: 'test_logical', database: 'app' })], {
      test_logical: 5000,
    });
    assert.deepEqual(work.copy, ['test_logical']);
  });
});

describe('slots on a replica', () => {
  const input = {
    role: 'replica' as const,
    selfName: 'postgres0',
    leaderName: 'postgres1',
    members: [{ name: 'postgres0' }, { name: 'postgres1' }],
    useSlots: true,
    permanent: { test_logical: { type: 'logical', database: 'postgres', plugin: 'test_decoding' } },
    nofailover: false,
  };
  it('a replica never creates a logical slot (a standby refuses): it is copied instead', () => {
    const d = desiredSlots(input).slots;
    const plan = planSlots(d, [], { paused: false, ignore: [], createLogical: false });
    assert.deepEqual(plan.create, []);
  });
  it('needs hot_standby_feedback while it should carry logical copies', () => {
    assert.equal(needsHotStandbyFeedback(desiredSlots(input).slots), true);
    assert.equal(
      needsHotStandbyFeedback(desiredSlots({ ...input, nofailover: true }).slots),
      false,
    );
    assert.equal(needsHotStandbyFeedback(desiredSlots({ ...input, useSlots: false }).slots), false);
  });
  it('keeps ignored slots and its copies, drops other unknown ones', () => {
    const d = desiredSlots(input).slots;
    const plan = planSlots(
      d,
      [slot({ name: 'test_logical' }), slot({ name: 'unmanaged_slot_0' }), slot({ name: 'dummy' })],
      { paused: false, ignore: [{ name: 'unmanaged_slot_0' }], createLogical: false },
    );
    assert.deepEqual(plan.drop, ['dummy']);
  });
});
