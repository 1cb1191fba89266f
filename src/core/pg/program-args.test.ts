import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  basebackupArgs,
  customBootstrapArgs,
  customReplicaArgs,
  initdbArgs,
  canRunWithoutLeader,
} from './program-args.js';
import { shlexSplit } from './shlex.js';

describe('initdbArgs', () => {
  it('turns flags and single-key maps into long options', () => {
    assert.deepEqual(
      initdbArgs([{ encoding: 'UTF8' }, 'data-checksums', { locale: 'en_US.UTF-8' }]),
      {
        ok: true,
        args: ['--encoding=UTF8', '--data-checksums', '--locale=en_US.UTF-8'],
        skipped: [],
      },
    );
    assert.deepEqual(initdbArgs({ encoding: 'UTF8' }), {
      ok: true,
      args: ['--encoding=UTF8'],
      skipped: [],
    });
  });
  it('refuses the options Patroni forbids', () => {
    assert.deepEqual(initdbArgs(['nosync']), {
      ok: false,
      error: 'nosync option for initdb is not allowed',
    });
  });
});

describe('basebackupArgs', () => {
  it('skips forbidden options of the list form, not of the map form', () => {
    assert.deepEqual(
      basebackupArgs([{ checkpoint: 'fast' }, { 'wal-method': 'fetch' }, 'verbose']),
      {
        ok: true,
        args: ['--checkpoint=fast', '--verbose'],
        skipped: ['wal-method'],
      },
    );
    assert.deepEqual(basebackupArgs({ 'max-rate': '100M', host: 'x' }), {
      ok: true,
      args: ['--max-rate=100M', '--host=x'],
      skipped: [],
    });
  });
});

describe('custom method argv', () => {
  it('replica method: command, section keys, then the four Patroni parameters', () => {
    const r = customReplicaArgs({
      method: 'wal_e',
      section: { command: 'patroni_wale_restore --x "a b"', envdir: '/etc/wal-e', no_leader: true },
      scope: 'batman',
      dataDir: '/d',
      connstring: 'dbname=postgres user=r host=h port=5432',
    });
    assert.deepEqual(r.ok && r.args, [
      'patroni_wale_restore',
      '--x',
      'a b',
      '--envdir=/etc/wal-e',
      '--no_leader=True',
      '--scope=batman',
      '--role=replica',
      '--datadir=/d',
      '--connstring=dbname=postgres user=r host=h port=5432',
    ]);
  });
  it('replica method without command runs the method name; no_params drops the specials', () => {
    const r = customReplicaArgs({
      method: 'myrestore',
      section: { no_params: true, keep_data: true, a: 1 },
      scope: 's',
      dataDir: '/d',
      connstring: '',
    });
    assert.deepEqual(r.ok && r.args, ['myrestore', '--a=1']);
  });
  it('bootstrap method: --scope and --datadir unless no_params', () => {
    assert.deepEqual(customBootstrapArgs('/bin/restore --from=x', false, 'batman', '/d'), {
      ok: true,
      args: ['/bin/restore', '--from=x', '--scope=batman', '--datadir=/d'],
      skipped: [],
    });
    assert.deepEqual(customBootstrapArgs('/bin/restore', true, 'batman', '/d'), {
      ok: true,
      args: ['/bin/restore'],
      skipped: [],
    });
  });
  it('no_leader methods', () => {
    assert.equal(canRunWithoutLeader('basebackup', { no_leader: true }), false);
    assert.equal(canRunWithoutLeader('wal_e', { no_master: 'yes' }), true);
    assert.equal(canRunWithoutLeader('wal_e', {}), false);
  });
});

describe('shlexSplit', () => {
  it('splits like Python shlex.split', () => {
    assert.deepEqual(shlexSplit(`/bin/cb.sh  'a b' "c \\"d\\"" e\\ f ''`), [
      '/bin/cb.sh',
      'a b',
      'c "d"',
      'e f',
      '',
    ]);
    assert.equal(shlexSplit('"unterminated'), null);
    assert.deepEqual(shlexSplit('   '), []);
  });
});
