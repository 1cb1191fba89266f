import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { failoverOutcome, validateFailover } from './failover-request.js';
import { postgresVersionToInt, validateRestart } from './restart-request.js';
import { clusterOf, memberOf } from './fixtures.js';
import { EMPTY_SYNC } from '../model/cluster.js';

const NOW = Date.UTC(2026, 10, 22, 5, 0, 0);
const FUTURE = '2030-01-01T00:00:00+00:00';
const paused = clusterOf({ config: { data: { pause: true }, index: 5 } });
const syncMode = clusterOf({
  config: { data: { synchronous_mode: true }, index: 5 },
  sync: { ...EMPTY_SYNC, leader: 'node1', syncStandbys: ['node2'] },
});

describe('switchover/failover validation (3.0.2 messages and codes)', () => {
  const rows: readonly [
    string,
    'switchover' | 'failover',
    Record<string, unknown>,
    typeof paused,
    number,
    string,
  ][] = [
    [
      'failover without candidate',
      'failover',
      { leader: 'node1' },
      clusterOf(),
      400,
      'Failover could be performed only to a specific candidate',
    ],
    [
      'switchover without leader',
      'switchover',
      { candidate: 'node2' },
      clusterOf(),
      400,
      'Switchover could be performed only from a specific leader',
    ],
    [
      'scheduled failover without leader',
      'failover',
      { candidate: 'node2', scheduled_at: FUTURE },
      clusterOf(),
      400,
      'Scheduled failover is possible only from a specific leader',
    ],
    [
      'scheduled while paused',
      'switchover',
      { leader: 'node1', candidate: 'node2', scheduled_at: FUTURE },
      paused,
      400,
      "Can't schedule switchover in the paused state",
    ],
    [
      'schedule without tz',
      'switchover',
      { leader: 'node1', scheduled_at: '2030-01-01T00:00:00' },
      clusterOf(),
      400,
      'Timezone information is mandatory for the scheduled switchover',
    ],
    [
      'schedule in the past',
      'switchover',
      { leader: 'node1', scheduled_at: '2020-01-01T00:00:00+00:00' },
      clusterOf(),
      422,
      'Cannot schedule switchover in the past',
    ],
    [
      'unparsable schedule',
      'switchover',
      { leader: 'node1', scheduled_at: 'soon' },
      clusterOf(),
      422,
      'Unable to parse scheduled timestamp. It should be in an unambiguous format, e.g. ISO 8601',
    ],
    [
      'paused without candidate',
      'switchover',
      { leader: 'node1' },
      paused,
      400,
      'Switchover is possible only to a specific candidate in a paused state',
    ],
    [
      'leader mismatch',
      'switchover',
      { leader: 'node2' },
      clusterOf(),
      412,
      'leader name does not match',
    ],
    [
      'candidate not in /sync',
      'switchover',
      { leader: 'node1', candidate: 'node3' },
      syncMode,
      412,
      'candidate name does not match with sync_standby',
    ],
    [
      'unknown candidate',
      'switchover',
      { leader: 'node1', candidate: 'node9' },
      clusterOf(),
      412,
      'candidate does not exists',
    ],
    [
      'sync mode, no sync member',
      'switchover',
      { leader: 'node1' },
      { ...syncMode, sync: EMPTY_SYNC },
      412,
      'switchover is not possible: can not find sync_standby',
    ],
    [
      'no members but the leader',
      'switchover',
      { leader: 'node1' },
      clusterOf({ members: [memberOf('node1', 54321)] }),
      412,
      'switchover is not possible: cluster does not have members except leader',
    ],
  ];
  for (const [title, action, body, cluster, status, message] of rows) {
    it(`${title} -> ${status}`, () => {
      assert.deepEqual(validateFailover(action, body, cluster, NOW), {
        ok: false,
        status,
        message,
      });
    });
  }
  it('a valid switchover lists the members to health-check', () => {
    const r = validateFailover('switchover', { leader: 'node1' }, clusterOf(), NOW);
    assert.equal(r.ok, true);
    assert.deepEqual(
      r.plan.membersToCheck?.map((m) => m.name),
      ['node2', 'node3'],
    );
  });
  it('member is an alias of candidate; scheduled requests skip the pre-check', () => {
    const r = validateFailover(
      'switchover',
      { leader: 'node1', member: 'node3', scheduled_at: FUTURE },
      clusterOf(),
      NOW,
    );
    assert.deepEqual(r, {
      ok: true,
      plan: {
        action: 'switchover',
        leader: 'node1',
        candidate: 'node3',
        scheduledAt: FUTURE,
        membersToCheck: null,
      },
    });
  });
  it('sync mode: failover to a candidate outside /sync is allowed, sync members checked otherwise', () => {
    assert.equal(validateFailover('failover', { candidate: 'node3' }, syncMode, NOW).ok, true);
    const r = validateFailover('switchover', { leader: 'node1' }, syncMode, NOW);
    assert.deepEqual(r.ok && r.plan.membersToCheck?.map((m) => m.name), ['node2']);
  });
});

describe('switchover result polling', () => {
  const moved = clusterOf({
    leader: { name: 'node2', index: 30, session: '2', member: memberOf('node2', 54322) },
  });
  it('reads the outcome like poll_failover_result', () => {
    assert.deepEqual(failoverOutcome('switchover', moved, 'node1', 'node2'), {
      status: 200,
      message: 'Successfully switched over to "node2"',
    });
    assert.deepEqual(failoverOutcome('switchover', moved, 'node1', 'node3'), {
      status: 200,
      message: 'Switched over to "node2" instead of "node3"',
    });
    assert.deepEqual(failoverOutcome('failover', moved, 'node1', null), {
      status: 200,
      message: 'Successfully failed over to "node2"',
    });
    assert.deepEqual(failoverOutcome('switchover', clusterOf(), 'node1', 'node2'), {
      status: 503,
      message: 'Switchover failed',
    });
    const pending = clusterOf({
      failover: { leader: 'node1', candidate: 'node2', scheduledAt: null, index: 3 },
    });
    assert.equal(failoverOutcome('switchover', pending, 'node1', 'node2'), null);
  });
});

describe('restart validation', () => {
  it('accepts the documented filters', () => {
    assert.deepEqual(
      validateRestart(
        {
          role: 'master',
          postgres_version: '15.4',
          timeout: '5min',
          restart_pending: true,
          schedule: FUTURE,
        },
        false,
        NOW,
      ),
      {
        ok: true,
        request: {
          role: 'master',
          postgresVersion: '15.4',
          timeout: 300,
          restartPending: true,
          schedule: FUTURE,
        },
      },
    );
  });
  const rows: readonly [Record<string, unknown>, boolean, number, string][] = [
    [{ schedule: FUTURE }, true, 500, "Can't schedule restart in the paused state"],
    [{ role: 'leader' }, false, 400, 'PostgreSQL role should be either primary or replica'],
    [{ postgres_version: 'x.y' }, false, 400, 'Invalid PostgreSQL version: x.y'],
    [
      { postgres_version: '9.6' },
      false,
      400,
      'Invalid PostgreSQL version format: X.Y or X.Y.Z is accepted: 9.6',
    ],
    [{ timeout: 0 }, false, 400, 'Timeout should be a positive number of seconds'],
    [{ timeout: 'abc' }, false, 400, 'Timeout should be a positive number of seconds'],
    [{ foo: 1 }, false, 400, 'Unknown filter for the scheduled restart: foo'],
    [{ schedule: '2020-01-01T00:00:00+00:00' }, false, 422, 'Cannot schedule restart in the past'],
  ];
  for (const [body, isPaused, status, message] of rows) {
    it(`${JSON.stringify(body)} -> ${status}`, () => {
      assert.deepEqual(validateRestart(body, isPaused, NOW), { ok: false, status, message });
    });
  }
  it('converts versions like postgres_version_to_int', () => {
    assert.equal(postgresVersionToInt('15.2'), 150002);
    assert.equal(postgresVersionToInt('9.6.3'), 90603);
    assert.equal(postgresVersionToInt('10.1'), 100001);
  });
});
