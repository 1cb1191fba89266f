import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ReplicationRow } from '../../model/local-pg.js';
import { EMPTY_SYNC } from '../../model/cluster.js';
import { parseSyncStandbyNames, renderSyncStandbyNames } from '../sync-names.js';
import {
  cluster,
  failover,
  input,
  kinds,
  PRIMARY_PG,
  replicaStatus,
  run,
  type Row,
} from '../test-builders.js';

const on = { synchronousMode: true };
const syncOf = (leader: string, ...standbys: string[]) => ({
  leader,
  syncStandbys: standbys,
  quorum: null,
  index: 7,
});

function row(name: string, syncState: string, flushLsn = 100): ReplicationRow {
  return {
    pid: 1,
    usename: 'replicator',
    applicationName: name,
    clientAddr: null,
    state: 'streaming',
    syncState,
    syncPriority: syncState === 'async' ? 0 : 1,
    writeLsn: flushLsn,
    flushLsn,
    replayLsn: flushLsn,
  };
}

function leaderRow(over: Row): Row {
  return { me: 'node1', settings: on, pg: PRIMARY_PG, ...over };
}

describe('synchronous_standby_names (§8.3)', () => {
  it('renders Patroni 3.0.2 forms', () => {
    assert.equal(renderSyncStandbyNames([]), null);
    assert.equal(renderSyncStandbyNames(['*']), '*');
    assert.equal(renderSyncStandbyNames(['node2']), 'node2');
    assert.equal(renderSyncStandbyNames(['node2', 'node-3']), '2 (node2,"node-3")');
  });

  it('parses what PostgreSQL may hold', () => {
    assert.deepEqual(parseSyncStandbyNames('node2'), ['node2']);
    assert.deepEqual(parseSyncStandbyNames('2 (node2,"node-3")'), ['node2', 'node-3']);
    assert.deepEqual(parseSyncStandbyNames('FIRST 1 (a, b)'), ['a', 'b']);
    assert.deepEqual(parseSyncStandbyNames('ANY 2 ("x""y",z)'), ['x"y', 'z']);
    assert.deepEqual(parseSyncStandbyNames(null), []);
  });
});

describe('synchronous mode on the primary (§8.4)', () => {
  it('names a streaming standby first, without claiming it in /sync yet', () => {
    const d = run(
      input(leaderRow({ pg: { ...PRIMARY_PG, replication: [row('node2', 'async')] } })),
    );
    assert.deepEqual(kinds(d), ['setSynchronousStandbyNames']);
    const a = d.actions[0];
    assert.ok(a?.type === 'setSynchronousStandbyNames' && a.value === 'node2');
    assert.ok(d.log.some((l) => l.message === "Assigning synchronous standby status to ['node2']"));
    assert.ok(!d.rounds.includes('writeSyncState'));
  });

  it('writes /sync once PostgreSQL reports the standby synchronous', () => {
    const first = run(
      input(leaderRow({ pg: { ...PRIMARY_PG, replication: [row('node2', 'async')] } })),
    );
    const pg = { ...PRIMARY_PG, syncStandbyNames: 'node2', replication: [row('node2', 'sync')] };
    const second = run(input(leaderRow({ pg, memory: first.memory })));
    assert.ok(second.rounds.includes('writeSyncState'));
    assert.ok(
      second.log.some((l) => l.message === "Synchronous standby status assigned to ['node2']"),
    );
    const third = run(
      input(
        leaderRow({
          pg,
          memory: second.memory,
          cluster: cluster({ sync: syncOf('node1', 'node2') }),
        }),
      ),
    );
    assert.ok(!third.rounds.includes('writeSyncState'));
    assert.deepEqual(kinds(third), []);
  });

  it('a standby that went away leaves /sync before it leaves synchronous_standby_names', () => {
    const c = cluster({ sync: syncOf('node1', 'node2') });
    const d = run(
      input(leaderRow({ cluster: c, pg: { ...PRIMARY_PG, syncStandbyNames: 'node2' } })),
    );
    assert.ok(
      d.log.some(
        (l) => l.message === "Updating synchronous privilege temporarily from ['node2'] to []",
      ),
    );
    assert.deepEqual(
      d.rounds.filter((r) => r === 'writeSyncState'),
      ['writeSyncState'],
    );
    const a = d.actions[0];
    assert.ok(a?.type === 'setSynchronousStandbyNames' && a.value === null);
  });

  describe('maximum_lag_on_syncnode measures the position commits wait for', () => {
    // node2 receives everything but its replay is paused; node3 is current on every column.
    const stuck = { ...row('node2', 'sync', 50_000_000), replayLsn: 10_000_000 };
    const current = row('node3', 'async', 50_000_000);
    const withCommit = (synchronousCommit: string) =>
      input(
        leaderRow({
          cluster: cluster({ sync: syncOf('node1', 'node2') }),
          settings: { ...on, maximumLagOnSyncnode: 15_000_000 },
          pg: {
            ...PRIMARY_PG,
            walPosition: 50_000_000,
            syncStandbyNames: 'node2',
            synchronousCommit,
            replication: [stuck, current],
          },
        }),
      );

    it('remote_apply: a standby lagging in replay gives the duty to one that is not', () => {
      const d = run(withCommit('remote_apply'));
      assert.ok(
        d.log.some(
          (l) => l.message === "Updating synchronous privilege temporarily from ['node2'] to []",
        ),
      );
      const a = d.actions.find((x) => x.type === 'setSynchronousStandbyNames');
      assert.ok(a?.type === 'setSynchronousStandbyNames' && a.value === 'node3');
    });

    it('on (flush): replay lag does not count, node2 keeps the duty', () => {
      const d = run(withCommit('on'));
      assert.deepEqual(kinds(d), []);
      assert.ok(!d.rounds.includes('writeSyncState'));
    });

    it('remote_write ranks on the written position', () => {
      const behind = { ...row('node2', 'sync', 50_000_000), writeLsn: 10_000_000 };
      const base = withCommit('remote_write');
      const d = run({ ...base, pg: { ...base.pg, replication: [behind, current] } });
      const a = d.actions.find((x) => x.type === 'setSynchronousStandbyNames');
      assert.ok(a?.type === 'setSynchronousStandbyNames' && a.value === 'node3');
    });
  });

  it('strict mode with no standby: *', () => {
    const c = cluster({ sync: syncOf('node1', 'node2') });
    const d = run(
      input(
        leaderRow({
          cluster: c,
          settings: { ...on, synchronousModeStrict: true },
          pg: { ...PRIMARY_PG, syncStandbyNames: 'node2' },
        }),
      ),
    );
    const a = d.actions[0];
    assert.ok(a?.type === 'setSynchronousStandbyNames' && a.value === '*');
    assert.ok(d.log.some((l) => l.message === 'No standbys available!'));
  });

  it('/sync changed by someone else: stop this cycle', () => {
    const c = cluster({ sync: syncOf('node1', 'node2') });
    const d = run(
      input(leaderRow({ cluster: c, pg: { ...PRIMARY_PG, syncStandbyNames: 'node2' } })),
      { sync: false },
    );
    assert.deepEqual(kinds(d), []);
    assert.ok(
      d.log.some((l) => l.message === 'Synchronous replication key updated by someone else.'),
    );
  });

  it('nosync members are never picked', () => {
    const members = [
      cluster().members[0]!,
      { ...cluster().members[1]!, tags: { ...cluster().members[1]!.tags, nosync: true } },
    ];
    const d = run(
      input(
        leaderRow({
          cluster: cluster({ members }),
          pg: { ...PRIMARY_PG, replication: [row('node2', 'async')] },
        }),
      ),
    );
    assert.deepEqual(kinds(d), []);
  });

  it('sync mode switched off: delete /sync and the parameter', () => {
    const c = cluster({ sync: syncOf('node1', 'node2') });
    const d = run(
      input({ me: 'node1', cluster: c, pg: { ...PRIMARY_PG, syncStandbyNames: 'node2' } }),
    );
    assert.deepEqual(kinds(d), ['deleteSyncState', 'setSynchronousStandbyNames']);
  });

  it("sync mode off and the parameter unset (PostgreSQL shows ''): nothing to do", () => {
    const d = run(input({ me: 'node1', pg: { ...PRIMARY_PG, syncStandbyNames: '' } }));
    assert.deepEqual(kinds(d), []);
  });

  it("sync mode on, no standby and the parameter unset (''): nothing to write", () => {
    const d = run(input(leaderRow({ pg: { ...PRIMARY_PG, syncStandbyNames: '' } })));
    assert.deepEqual(kinds(d), []);
  });
});

describe('promotion rules in synchronous mode (§8.5)', () => {
  const noLeader = (over = {}) =>
    cluster({ leaderName: null, sync: syncOf('node1', 'node2'), ...over });

  it('a node outside /sync may not race', () => {
    const d = run(input({ me: 'node3', cluster: noLeader(), settings: on }));
    assert.equal(d.info, 'following a different leader because i am not the healthiest node');
    assert.deepEqual(d.rounds, []);
  });

  it('a /sync standby compares only with /sync members and ignores the former leader ahead', () => {
    const d = run(input({ cluster: noLeader(), settings: on }), {
      peers: { node1: replicaStatus(500), node3: replicaStatus(900) },
    });
    assert.equal(d.info, 'promoted self to leader by acquiring session lock');
    assert.deepEqual(d.rounds, ['peerStatus', 'acquireLock', 'writeSyncState']);
    assert.ok(d.log.some((l) => l.message === 'Ignoring the former leader being ahead of us'));
    assert.deepEqual(kinds(d), ['setSynchronousStandbyNames', 'promote']);
  });

  it('promotion claims /sync first; losing that CAS postpones it', () => {
    const d = run(input({ cluster: noLeader(), settings: on }), { peers: {}, sync: false });
    assert.equal(
      d.info,
      'Postponing promotion because synchronous replication state was updated by somebody else',
    );
    assert.ok(!kinds(d).includes('promote'));
  });

  it('with an empty /sync everyone races normally', () => {
    const d = run(input({ me: 'node3', cluster: noLeader({ sync: EMPTY_SYNC }), settings: on }), {
      peers: {},
    });
    assert.equal(d.info, 'promoted self to leader by acquiring session lock');
  });

  it('switchover to a candidate outside /sync is refused by the leader', () => {
    const c = cluster({
      sync: syncOf('node1', 'node2'),
      failover: failover({ leader: 'node1', candidate: 'node3' }),
    });
    const d = run(
      input({
        me: 'node1',
        cluster: c,
        settings: on,
        pg: { ...PRIMARY_PG, syncStandbyNames: 'node2', replication: [row('node2', 'sync')] },
      }),
    );
    assert.ok(
      d.log.some(
        (l) => l.message === 'Failover candidate=node3 does not match with sync_standbys=node2',
      ),
    );
    assert.ok(kinds(d).includes('clearFailoverKey'));
  });

  it('demotion clears synchronous_standby_names', () => {
    const d = run(input({ settings: on, pg: PRIMARY_PG, memory: { role: 'primary' } }));
    assert.deepEqual(kinds(d), ['demote', 'setSynchronousStandbyNames']);
  });
});
