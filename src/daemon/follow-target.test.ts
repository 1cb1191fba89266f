import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildRecoveryParams } from '../core/pg/recovery.js';
import { parseStandbyCluster, remoteTarget } from '../core/ha/standby.js';
import { pgFollowTarget } from './follow-target.js';

const recovery = {
  selfName: 'postgres1',
  replication: { username: 'replicator' },
  recoveryConf: {},
  useSlots: true,
  pgpassPath: '/tmp/pgpass',
};

describe('pgFollowTarget: what the HA core follows, as the recovery configuration needs it', () => {
  it('the remote primary of a standby cluster keeps its slot and archive settings', () => {
    const cfg = parseStandbyCluster({
      host: 'localhost',
      port: 5362,
      primary_slot_name: 'pm_1',
      restore_command: 'cp /arch/%f %p',
      recovery_min_apply_delay: '1min',
    });
    assert.ok(cfg !== null);
    const params = buildRecoveryParams(recovery, pgFollowTarget(remoteTarget(cfg))).params;
    assert.equal(params['primary_slot_name'], 'pm_1');
    assert.equal(params['restore_command'], 'cp /arch/%f %p');
    assert.equal(params['recovery_min_apply_delay'], '1min');
    assert.match(String(params['primary_conninfo']), /port=5362/);
    assert.match(String(params['primary_conninfo']), /target_session_attrs=read-write/);
  });

  it('a remote primary without primary_slot_name streams without a slot', () => {
    const cfg = parseStandbyCluster({ host: 'localhost', port: 5362 });
    assert.ok(cfg !== null);
    const params = buildRecoveryParams(recovery, pgFollowTarget(remoteTarget(cfg))).params;
    assert.equal(params['primary_slot_name'], undefined);
  });

  it('a member in a standby cluster: its own slot, the cluster restore_command', () => {
    const target = pgFollowTarget({
      name: 'postgres1',
      connUrl: 'postgres://127.0.0.1:5362/postgres',
      apiUrl: null,
      archive: { restoreCommand: 'cp /arch/%f %p', archiveCleanupCommand: null },
    });
    const params = buildRecoveryParams({ ...recovery, selfName: 'postgres2' }, target).params;
    assert.equal(params['primary_slot_name'], 'postgres2');
    assert.equal(params['restore_command'], 'cp /arch/%f %p');
    assert.equal(params['archive_cleanup_command'], undefined);
  });
});
