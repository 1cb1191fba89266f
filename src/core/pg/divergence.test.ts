import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseLsn } from '../model/lsn.js';
import {
  canRewindTransition,
  needsRewind,
  parseWaldumpEnd,
  positionFromControlData,
} from './divergence.js';
import {
  parseControlData,
  controlDataAllowsRewind,
  controlDataSaysCrashed,
} from './controldata.js';
import { historyFileName, parseHistoryFile } from './history.js';
import { canTransition } from './lifecycle.js';
import { archiveCommandFor, archivingEnabled, readyWalFiles } from './archive.js';

const history = parseHistoryFile('1\t0/3000060\tno recovery target specified\n\n2\t0/5000000\tx\n');

describe('needsRewind', () => {
  it('compares timelines first', () => {
    assert.equal(needsRewind({ timeline: 3, lsn: 0, inRecovery: true }, 2, [], null), true);
    assert.equal(needsRewind({ timeline: 2, lsn: 99, inRecovery: false }, 2, [], null), false);
  });
  it('replica: only when it replayed past the switch point', () => {
    assert.equal(
      needsRewind({ timeline: 1, lsn: 0x3000060, inRecovery: true }, 3, history, null),
      false,
    );
    assert.equal(
      needsRewind({ timeline: 1, lsn: 0x3000061, inRecovery: true }, 3, history, null),
      true,
    );
  });
  it('former primary: past the switch point, or a checkpoint end that is not the switch point', () => {
    assert.equal(
      needsRewind({ timeline: 1, lsn: 0x3000060, inRecovery: false }, 2, history, null),
      true,
    );
    assert.equal(
      needsRewind({ timeline: 1, lsn: 0x3000028, inRecovery: false }, 2, history, 0x3000060),
      false,
    );
    assert.equal(
      needsRewind({ timeline: 1, lsn: 0x3000028, inRecovery: false }, 2, history, 0x30000a0),
      true,
    );
  });
  it('no matching history line means rewind', () => {
    assert.equal(needsRewind({ timeline: 7, lsn: 0, inRecovery: true }, 9, history, null), true);
  });
});

describe('pg_controldata and pg_waldump parsing', () => {
  const cd = parseControlData(
    [
      'Database system identifier:           7301234567890123456',
      'Database cluster state:               shut down',
      'Latest checkpoint location:           0/3000028',
      "Latest checkpoint's TimeLineID:       1",
      'Minimum recovery ending location:     0/0',
      "Min recovery ending loc's timeline:   0",
      'wal_log_hints setting:                off',
      'Data page checksum version:           1',
    ].join('\n'),
  );
  it('reads a shut-down primary position and rewind capability', () => {
    assert.equal(cd['Database system identifier'], '7301234567890123456');
    assert.deepEqual(positionFromControlData(cd, parseLsn), {
      timeline: 1,
      lsn: 0x3000028,
      inRecovery: false,
    });
    assert.equal(controlDataAllowsRewind(cd), true);
    assert.equal(controlDataSaysCrashed('in production', false), true);
    assert.equal(controlDataSaysCrashed('in archive recovery', false), false);
  });
  it('reads a replica shut down in recovery', () => {
    const replica = {
      ...cd,
      'Database cluster state': 'shut down in recovery',
      'Minimum recovery ending location': '0/4000000',
      "Min recovery ending loc's timeline": '2',
    };
    assert.deepEqual(positionFromControlData(replica, parseLsn), {
      timeline: 2,
      lsn: 0x4000000,
      inRecovery: true,
    });
  });
  it('finds the end of the last record in pg_waldump output', () => {
    assert.equal(
      parseWaldumpEnd(
        'pg_waldump: error: error in WAL record at 0/3000028: invalid record length at 0/30000A0: wanted 24, got 0',
        parseLsn,
      ),
      0x30000a0,
    );
    assert.equal(parseWaldumpEnd('nothing', parseLsn), null);
  });
  it('history files', () => {
    assert.equal(historyFileName(10), '0000000A.history');
    assert.deepEqual(history[0], {
      parentTimeline: 1,
      switchLsn: 0x3000060,
      reason: 'no recovery target specified',
    });
  });
});

describe('state machines', () => {
  it('lifecycle allows only listed transitions', () => {
    assert.equal(canTransition('running', 'stopping'), true);
    assert.equal(canTransition('creating replica', 'running'), false);
    assert.equal(canTransition('stopping', 'starting'), false);
  });
  it('rewind state', () => {
    assert.equal(canRewindTransition('check', 'need'), true);
    assert.equal(canRewindTransition('initial', 'success'), false);
  });
});

describe('archiving ready WAL', () => {
  it('fills %p, %f and %% like PostgreSQL', () => {
    assert.equal(
      archiveCommandFor(
        'test ! -f /a/%f && cp %p /a/%f # 100%%',
        '000000010000000000000003',
        '/d/pg_wal',
      ),
      'test ! -f /a/000000010000000000000003 && cp /d/pg_wal/000000010000000000000003 /a/000000010000000000000003 # 100%',
    );
  });
  it('lists .ready files and knows when archiving is on', () => {
    assert.deepEqual(readyWalFiles(['b.ready', 'a.ready', 'c.done']), ['a', 'b']);
    assert.equal(archivingEnabled('on', 'cp %p /x'), true);
    assert.equal(archivingEnabled('off', 'cp %p /x'), false);
    assert.equal(archivingEnabled('always', '(disabled)'), false);
  });
});
