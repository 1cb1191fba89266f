import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  cluster,
  EMPTY_PG,
  failover,
  input,
  kinds,
  PRIMARY_PG,
  REPLICA_PG,
  run,
  STOPPED_PG,
  SYSID,
  WALL,
} from '../test-builders.js';
import type { Row } from '../test-builders.js';

const pausedConfig = { data: { pause: true }, index: 5 };
const paused = (over = {}) => cluster({ config: pausedConfig, ...over });

/** One row per rule of spec/core.md §15: nothing is started, stopped, promoted or demoted. */
const ROWS: readonly {
  rule: string;
  row: Row;
  info: string;
  actions: string[];
  world?: Parameters<typeof run>[1];
}[] = [
  {
    rule: 'postgres down: stays down',
    row: { cluster: paused(), pg: STOPPED_PG },
    info: 'PAUSE: postgres is not running',
    actions: [],
  },
  {
    rule: 'lock holder with postgres down removes the lock',
    row: { me: 'node1', cluster: paused(), pg: STOPPED_PG },
    info: 'PAUSE: removed leader lock because postgres is not running',
    actions: ['releaseLeaderLock'],
  },
  {
    rule: 'refresh refused on a primary: keeps running',
    row: { me: 'node1', cluster: paused() },
    world: { refresh: false },
    info: 'PAUSE: continue to run as primary after failing to update leader lock in DCS',
    actions: [],
  },
  {
    rule: 'primary without the lock: keeps running',
    row: { cluster: paused(), pg: PRIMARY_PG },
    info: 'PAUSE: continue to run as primary without lock',
    actions: [],
  },
  {
    rule: 'lock holder not primary releases the lock',
    row: { me: 'node1', cluster: paused(), pg: REPLICA_PG },
    info: 'PAUSE: removed leader lock because postgres is not running as primary',
    actions: ['releaseLeaderLock'],
  },
  {
    rule: 'lock holder that is the failover candidate waits for its promote',
    row: {
      me: 'node1',
      cluster: paused({ failover: failover({ candidate: 'node1' }) }),
      pg: REPLICA_PG,
    },
    info: 'PAUSE: waiting to become primary after promote...',
    actions: [],
  },
  {
    rule: 'no leader: replicas never race',
    row: { cluster: paused({ leaderName: null }) },
    info: 'PAUSE: no action. I am (node2)',
    actions: [],
  },
  {
    rule: 'no leader: a running primary takes the lock back',
    row: { cluster: paused({ leaderName: null }), pg: PRIMARY_PG },
    info: 'PAUSE: acquired session lock as a leader',
    actions: [],
  },
  {
    rule: 'no leader: a primary of another system id does not',
    row: {
      cluster: paused({ leaderName: null, initialize: '9999999999999' }),
      pg: { ...PRIMARY_PG, systemIdentifier: SYSID },
    },
    info: 'PAUSE: continue to run as primary without lock',
    actions: [],
  },
  {
    rule: 'no leader: the named candidate may race',
    row: { cluster: paused({ leaderName: null, failover: failover({ candidate: 'node2' }) }) },
    info: 'PAUSE: promoted self to leader by acquiring session lock',
    actions: ['clearFailoverKey', 'promote'],
  },
  {
    rule: 'empty data directory: no bootstrap',
    row: { cluster: paused(), pg: EMPTY_PG },
    info: 'PAUSE: running with empty data directory',
    actions: [],
  },
  {
    rule: 'scheduled restart is not executed',
    row: { cluster: paused(), scheduledRestart: { schedule: new Date(WALL).toISOString() } },
    info: 'PAUSE: no action. I am (node2), a secondary, and following a leader (node1)',
    actions: [],
  },
  {
    rule: 'DCS down: a primary keeps running',
    row: { me: 'node1', cluster: null, pg: PRIMARY_PG, memory: { wasPaused: true } },
    info: 'PAUSE: DCS is not accessible',
    actions: [],
  },
  {
    rule: 'a wiped config key does not end the pause',
    row: {
      cluster: cluster({ config: null, leaderName: null }),
      pg: REPLICA_PG,
      memory: { wasPaused: true },
    },
    info: 'PAUSE: no action. I am (node2)',
    actions: [],
  },
];

describe('pause / maintenance mode (§15)', () => {
  for (const r of ROWS) {
    it(r.rule, () => {
      const d = run(input(r.row), r.world ?? { peers: {} });
      assert.equal(d.info, r.info);
      assert.deepEqual(kinds(d), r.actions);
      const touch = d.actions.at(-1);
      if (touch?.type === 'touchMember') assert.equal(touch.member.pause, true);
    });
  }
});
