import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseIntWithUnit } from './units.js';
import { parseSchedule, parseTimestamp } from './schedule.js';
import { parseQuery } from './query.js';
import { deepEqual, patchConfig } from './patch-config.js';

describe('parseIntWithUnit (Patroni parse_int)', () => {
  const rows: readonly [unknown, 'B' | 's', number | null][] = [
    ['1048576', 'B', 1048576],
    ['1024kB', 'B', 1048576],
    ['10MB', 'B', 10485760],
    ['1GB', 'B', 1073741824],
    ['1mb', 'B', null],
    ['1.5GB', 'B', null],
    ['', 'B', null],
    ['abc', 'B', null],
    [undefined, 'B', null],
    ['010', 'B', 8],
    ['0x10', 'B', 16],
    ['30', 's', 30],
    ['5min', 's', 300],
    ['2h', 's', 7200],
    ['1500ms', 's', 2],
    [45, 's', 45],
    [1.5, 's', null],
    ['-5', 's', -5],
  ];
  for (const [input, base, expected] of rows) {
    it(`${JSON.stringify(input)} ${base} -> ${expected}`, () => {
      assert.equal(parseIntWithUnit(input, base), expected);
    });
  }
});

describe('timestamps and schedules', () => {
  const now = Date.UTC(2026, 10, 22, 5, 0, 0);
  it('prints Python isoformat', () => {
    assert.equal(parseTimestamp('2030-01-01T00:00:00+00:00')?.iso, '2030-01-01T00:00:00+00:00');
    assert.equal(parseTimestamp('2030-01-01 10:30Z')?.iso, '2030-01-01T10:30:00+00:00');
    assert.equal(
      parseTimestamp('2030-01-01T10:30:00.5+0200')?.iso,
      '2030-01-01T10:30:00.500000+02:00',
    );
    assert.equal(parseTimestamp('2030-01-01T10:30:00-05')?.epochMs, Date.UTC(2030, 0, 1, 15, 30));
    assert.equal(parseTimestamp('2030-02-30T00:00:00Z'), null);
    assert.equal(
      parseTimestamp('2026-11-22 02:58:04.375817+00:00')?.epochMicros,
      Date.UTC(2026, 10, 22, 2, 58, 4) * 1000 + 375817,
    );
  });
  it('gives Patroni messages and codes', () => {
    assert.deepEqual(parseSchedule('2030-01-01T00:00:00', 'switchover', now), {
      ok: false,
      status: 400,
      message: 'Timezone information is mandatory for the scheduled switchover',
    });
    assert.deepEqual(parseSchedule('2020-01-01T00:00:00+00:00', 'restart', now), {
      ok: false,
      status: 422,
      message: 'Cannot schedule restart in the past',
    });
    const bad = parseSchedule('tomorrow', 'restart', now);
    assert.equal(bad.ok, false);
    assert.equal(bad.status, 422);
    assert.equal(bad.message.startsWith('Unable to parse scheduled timestamp'), true);
    assert.equal(parseSchedule('2030-01-01T00:00:00+01:00', 'restart', now).ok, true);
  });
});

describe('parseQuery (parse_qs)', () => {
  it('drops blank values and keeps repeats', () => {
    assert.deepEqual(parseQuery('lag=&tag_a=1&tag_a=2&x=a+b'), { tag_a: ['1', '2'], x: ['a b'] });
  });
});

describe('patchConfig (patch_config)', () => {
  const base = { ttl: 30, postgresql: { parameters: { max_connections: 100, work_mem: '4MB' } } };
  it('merges maps, null deletes, scalars compare as text', () => {
    const { result, changed } = patchConfig(base, {
      ttl: '30',
      postgresql: { parameters: { work_mem: null, shared_buffers: '1GB' } },
    });
    assert.equal(changed, true);
    assert.deepEqual(result, {
      ttl: 30,
      postgresql: { parameters: { max_connections: 100, shared_buffers: '1GB' } },
    });
    assert.deepEqual(base.postgresql.parameters, { max_connections: 100, work_mem: '4MB' });
  });
  it('reports no change when nothing differs', () => {
    assert.equal(patchConfig(base, { ttl: 30, missing: null }).changed, false);
    assert.equal(patchConfig(base, { pause: true }).changed, true);
  });
  it('deepEqual compares nested documents', () => {
    assert.equal(deepEqual({ a: { b: [1, 2] } }, { a: { b: [1, 2] } }), true);
    assert.equal(deepEqual({ a: 1 }, { a: 1, b: 2 }), false);
  });
});
