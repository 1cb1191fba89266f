import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isValidSlotName, slotNameFromMemberName } from './slot-name.js';
import { desiredSlots, planSlots } from './slots.js';
import type { DesiredSlotsInput, ExistingSlot } from './slots.js';

describe('slotNameFromMemberName', () => {
  it('follows Patroni: lowercase, - and . to _, other chars as u+decimal code point', () => {
    assert.equal(slotNameFromMemberName('Node-1.dc'), 'node_1_dc');
    assert.equal(slotNameFromMemberName('a@b'), 'au0064b');
    assert.equal(slotNameFromMemberName('café'), 'cafu0233');
    assert.equal(slotNameFromMemberName('x'.repeat(70)).length, 63);
  });
  it('validates permanent slot names', () => {
    assert.equal(isValidSlotName('ok_slot1'), true);
    assert.equal(isValidSlotName('Bad-Slot'), false);
  });
});

const base: DesiredSlotsInput = {
  role: 'primary',
  selfName: 'n1',
  leaderName: 'n1',
  members: [
    { name: 'n1' },
    { name: 'n2' },
    { name: 'n3', replicatefrom: 'n2' },
    { name: 'n4', replicatefrom: 'gone' },
  ],
  useSlots: true,
  permanent: {
    perm_phys: null,
    perm_logical: { database: 'app', plugin: 'pgoutput' },
    'Bad-Name': null,
    n1: null,
  },
  nofailover: false,
};

describe('desiredSlots', () => {
  it('primary: one per other member except cascading ones, plus permanent slots', () => {
    const d = desiredSlots(base);
    assert.deepEqual([...d.slots.keys()].sort(), ['n2', 'n4', 'perm_logical', 'perm_phys']);
    assert.deepEqual(d.slots.get('perm_logical'), {
      type: 'logical',
      database: 'app',
      plugin: 'pgoutput',
    });
    assert.deepEqual(d.errors, ["Invalid permanent replication slot name 'Bad-Name'"]);
  });
  it('replica: only cascading members and permanent logical slots', () => {
    const d = desiredSlots({ ...base, role: 'replica', selfName: 'n2' });
    assert.deepEqual([...d.slots.keys()].sort(), ['n3', 'perm_logical']);
  });
  it('replica with nofailover keeps no logical slots; standby leader only physical ones', () => {
    assert.deepEqual(
      [
        ...desiredSlots({
          ...base,
          role: 'replica',
          selfName: 'n2',
          nofailover: true,
        }).slots.keys(),
      ],
      ['n3'],
    );
    assert.deepEqual([...desiredSlots({ ...base, role: 'standby_leader' }).slots.keys()].sort(), [
      'n2',
      'n4',
      'perm_phys',
    ]);
  });
  it('without use_slots a primary keeps only physical permanent slots', () => {
    assert.deepEqual([...desiredSlots({ ...base, useSlots: false }).slots.keys()], ['perm_phys']);
  });
});

describe('planSlots', () => {
  const slot = (
    name: string,
    active = false,
    type: 'physical' | 'logical' = 'physical',
  ): ExistingSlot => ({
    name,
    type,
    plugin: type === 'logical' ? 'test_decoding' : null,
    database: type === 'logical' ? 'app' : null,
    active,
  });
  const desired = desiredSlots(base).slots;

  it('creates missing, drops unknown inactive, leaves busy ones for later', () => {
    const plan = planSlots(
      desired,
      [slot('n2'), slot('old'), slot('busy', true), slot('perm_logical', false, 'logical')],
      {
        paused: false,
        ignore: [],
        createLogical: true,
      },
    );
    assert.deepEqual(plan.drop, ['old', 'perm_logical']);
    assert.deepEqual(plan.busy, ['busy']);
    assert.deepEqual(
      plan.create.map((c) => c.name),
      ['n4', 'perm_phys', 'perm_logical'],
    );
  });
  it('never drops while paused or when ignore_slots matches', () => {
    const existing = [slot('old'), slot('cdc', false, 'logical')];
    assert.deepEqual(
      planSlots(desired, existing, { paused: true, ignore: [], createLogical: true }).drop,
      [],
    );
    assert.deepEqual(
      planSlots(desired, existing, {
        paused: false,
        ignore: [{ type: 'logical' }],
        createLogical: true,
      }).drop,
      ['old'],
    );
  });
});
