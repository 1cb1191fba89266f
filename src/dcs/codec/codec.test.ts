import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterTimeline, NO_TAGS } from '../../core/model/index.js';
import {
  APPENDIX_A,
  APPENDIX_A_FAILSAFE,
  APPENDIX_A_NODE3_AS_PRINTED,
  APPENDIX_A_SYNC,
} from '../contract/appendix-a.js';
import { encodeMember, decodeMember, type MemberData } from './member.js';
import { basePath } from './paths.js';
import { buildSnapshot, type RawEntry } from './snapshot.js';
import {
  decodeFailover,
  decodeHistory,
  decodeStatus,
  decodeSync,
  encodeConfig,
  encodeFailover,
  encodeFailsafe,
  encodeHistory,
  encodeStatus,
  encodeSync,
} from './values.js';

const node = (
  n: number,
  role: MemberData['role'],
  extra: Partial<MemberData> = {},
): MemberData => ({
  connUrl: `postgres://10.0.0.1${n}:5432/postgres`,
  apiUrl: `http://10.0.0.1${n}:8008/patroni`,
  state: 'running',
  role,
  version: '3.0.2',
  xlogLocation: 67109312,
  timeline: 2,
  ...extra,
});

describe('codec: paths', () => {
  it('normalises the namespace like Patroni', () => {
    for (const ns of ['service', '/service', '/service/', '//service//', 'service/']) {
      assert.equal(basePath('batman', ns), '/service/batman');
    }
    assert.equal(basePath('batman'), '/service/batman');
    assert.equal(basePath('batman', '/'), '/batman');
    assert.equal(basePath('batman', '/a/b/'), '/a/b/batman');
    assert.equal(basePath('batman', '/service', 1), '/service/batman/1');
  });
});

describe('codec: golden values of Appendix A (byte-exact)', () => {
  it('member keys, master role by default', () => {
    assert.equal(encodeMember(node(1, 'replica'), 'master'), APPENDIX_A['members/node1']);
    assert.equal(encodeMember(node(2, 'primary'), 'master'), APPENDIX_A['members/node2']);
    const tags = { ...NO_TAGS, nofailover: true };
    const node3 = encodeMember(node(3, 'replica', { tags }), 'master');
    assert.equal(node3, APPENDIX_A['members/node3']);
    assert.deepEqual(JSON.parse(node3), JSON.parse(APPENDIX_A_NODE3_AS_PRINTED));
    const printed = decodeMember('node3', APPENDIX_A_NODE3_AS_PRINTED, 1, null);
    assert.deepEqual(printed, decodeMember('node3', node3, 1, null));
  });

  it('writes primary when configured to, and reads both spellings as primary', () => {
    const asPrimary = encodeMember(node(2, 'primary'), 'primary');
    assert.equal(asPrimary, APPENDIX_A['members/node2']?.replace('"master"', '"primary"'));
    assert.equal(decodeMember('node2', asPrimary, 1, null).role, 'primary');
    assert.equal(decodeMember('node2', APPENDIX_A['members/node2'] ?? '', 1, null).role, 'primary');
  });

  it('optional member fields in Patroni 3.0.2 order', () => {
    const full = encodeMember(
      node(1, 'primary', {
        proxyUrl: 'postgres://10.0.0.100:6432/postgres',
        checkpointAfterPromote: false,
        tags: { ...NO_TAGS, nosync: true, custom: { dc: 'eu' } },
        pendingRestart: true,
        scheduledRestart: {
          schedule: '2023-03-24T10:15:02+00:00',
          postmasterStartTime: 'x',
          role: 'primary',
        },
        pause: true,
      }),
      'master',
    );
    assert.equal(
      full,
      '{"conn_url":"postgres://10.0.0.11:5432/postgres","api_url":"http://10.0.0.11:8008/patroni","state":"running","role":"master","version":"3.0.2","proxy_url":"postgres://10.0.0.100:6432/postgres","checkpoint_after_promote":false,"tags":{"nosync":true,"dc":"eu"},"pending_restart":true,"xlog_location":67109312,"timeline":2,"scheduled_restart":{"schedule":"2023-03-24T10:15:02+00:00","postmaster_start_time":"x","role":"master"},"pause":true}',
    );
    const back = decodeMember('node1', full, 7, '42');
    assert.equal(back.checkpointAfterPromote, false);
    assert.equal(back.tags.custom['dc'], 'eu');
    assert.equal(back.tags.nosync, true);
    assert.equal(back.scheduledRestart?.role, 'primary');
    assert.deepEqual(
      [back.pendingRestart, back.pause, back.index, back.session],
      [true, true, 7, '42'],
    );
  });

  it('status, history, config, failover, sync, failsafe', () => {
    assert.equal(encodeStatus({ optime: 67109312 }), APPENDIX_A['status']);
    assert.equal(encodeStatus({ optime: 5, slots: { s: 4 } }), '{"optime":5,"slots":{"s":4}}');
    assert.equal(
      encodeHistory([
        [1, 50331808, 'no recovery target specified', '2023-03-24T10:15:02.120551+00:00', 'node2'],
      ]),
      APPENDIX_A['history'],
    );
    const config = JSON.parse(APPENDIX_A['config'] ?? '') as Record<string, unknown>;
    assert.equal(encodeConfig(config), APPENDIX_A['config']);
    assert.equal(encodeFailover({}), APPENDIX_A['failover']);
    assert.equal(
      encodeFailover({
        leader: 'node2',
        candidate: 'node1',
        scheduledAt: '2023-03-24T10:15:02+00:00',
      }),
      '{"leader":"node2","member":"node1","scheduled_at":"2023-03-24T10:15:02+00:00"}',
    );
    assert.equal(encodeSync({ leader: 'node2', syncStandbys: ['node1'] }), APPENDIX_A_SYNC);
    assert.equal(
      encodeSync({ leader: 'n', syncStandbys: ['b', 'a'] }),
      '{"leader":"n","sync_standby":"a,b"}',
    );
    assert.equal(
      encodeSync({ leader: 'n', syncStandbys: [] }),
      '{"leader":"n","sync_standby":null}',
    );
    assert.equal(
      encodeFailsafe({
        node1: 'http://10.0.0.11:8008/patroni',
        node2: 'http://10.0.0.12:8008/patroni',
        node3: 'http://10.0.0.13:8008/patroni',
      }),
      APPENDIX_A_FAILSAFE,
    );
  });
});

describe('codec: reading what peers write', () => {
  it('failover: {} is empty, legacy leader:candidate text is read', () => {
    assert.deepEqual(decodeFailover('{}', 3), {
      leader: null,
      candidate: null,
      scheduledAt: null,
      index: 3,
    });
    assert.deepEqual(decodeFailover('node1:node2', 4), {
      leader: 'node1',
      candidate: 'node2',
      scheduledAt: null,
      index: 4,
    });
    assert.equal(decodeFailover(':', 4), null);
  });

  it('history: [] means timeline 1, garbage means unknown', () => {
    assert.deepEqual(decodeHistory('[]', 1)?.lines, []);
    assert.equal(decodeHistory('not json', 1), null);
    assert.equal(decodeHistory('[["x"]]', 1), null);
  });

  it('sync and status tolerate newer and broken forms', () => {
    assert.deepEqual(decodeSync('{"leader":"a","quorum":1,"sync_standby":"b,c"}', 9), {
      leader: 'a',
      syncStandbys: ['b', 'c'],
      quorum: 1,
      index: 9,
    });
    assert.equal(decodeSync('garbage', 9).leader, null);
    assert.deepEqual(decodeStatus('{"optime":10,"slots":{"a":1},"retain_slots":["x"]}'), {
      optime: 10,
      slots: { a: 1 },
    });
    assert.deepEqual(decodeStatus('123'), { optime: 123, slots: {} });
  });

  it('members: legacy URLs, non-JSON values and conn_kwargs', () => {
    const legacy = decodeMember(
      'n',
      'postgres://u@h:5432/postgres?application_name=http://h:8008/patroni',
      1,
      null,
    );
    assert.deepEqual(
      [legacy.connUrl, legacy.apiUrl],
      ['postgres://u@h:5432/postgres', 'http://h:8008/patroni'],
    );
    assert.equal(decodeMember('n', '[1]', 1, null).connUrl, null);
    const kw = decodeMember('n', '{"conn_kwargs":{"host":"h","port":5433}}', 1, null);
    assert.equal(kw.connUrl, 'postgres://h:5433/postgres');
  });

  it('a whole Appendix A cluster reads into the expected snapshot', () => {
    const entries: RawEntry[] = Object.entries(APPENDIX_A).map(([key, value], i) => ({
      key,
      value,
      index: 100 + i,
      session: key === 'leader' || key.startsWith('members/') ? '7587862073498093572' : null,
    }));
    entries.push({ key: 'members/node1/extra', value: '{}', index: 1, session: null });
    const c = buildSnapshot(entries);
    assert.equal(c.initialize, '7214328734719876543');
    assert.equal(c.leader?.name, 'node2');
    assert.equal(c.leader.member.role, 'primary');
    assert.equal(c.leader.session, '7587862073498093572');
    assert.deepEqual(
      c.members.map((m) => m.name),
      ['node1', 'node2', 'node3'],
    );
    assert.equal(c.members[2]?.tags.nofailover, true);
    assert.equal(c.lastLsn, 67109312);
    assert.equal(clusterTimeline(c), 2);
    assert.equal(c.config?.data['ttl'], 30);
    assert.deepEqual([c.failover?.leader, c.failover?.candidate], [null, null]);
    assert.equal(c.sync.leader, null);
  });

  it('the legacy optime/leader key is read when status is missing; a stub leader when no member', () => {
    const c = buildSnapshot([
      { key: 'leader', value: 'ghost', index: 5, session: null },
      { key: 'optime/leader', value: '777', index: 6, session: null },
    ]);
    assert.equal(c.lastLsn, 777);
    assert.equal(c.leader?.member.connUrl, null);
  });
});
