import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PostgresOptions } from '../core/pg/options.js';
import { hasCustomHbaFile, hasCustomIdentFile, resolvePaths } from './paths.js';

function options(parameters: PostgresOptions['parameters'], extra: Partial<PostgresOptions> = {}) {
  const o: PostgresOptions = {
    scope: 'qhb',
    name: 'node1',
    dataDir: '/data/qhb',
    binDir: '',
    listen: '127.0.0.1:5432',
    connectAddress: '127.0.0.1:5432',
    authentication: { superuser: { username: 'qhb' }, replication: { username: 'repl' } },
    parameters,
    pgpass: '/tmp/pgpass',
    ...extra,
  };
  return o;
}

describe('resolvePaths for a fork layout', () => {
  it('names the config files after config_base_name', () => {
    const p = resolvePaths(options({}, { configBaseName: 'qhb' }));
    assert.equal(p.conf, '/data/qhb/qhb.conf');
    assert.equal(p.baseConf, '/data/qhb/qhb.base.conf');
    assert.equal(p.baseConfInclude, 'qhb.base.conf');
  });

  it('takes relative hba_file and ident_file from config_dir, as Patroni joins them', () => {
    const o = options(
      { hba_file: 'qhb_hba.conf', ident_file: 'qhb_ident.conf' },
      { configDir: '/etc/qhb' },
    );
    const p = resolvePaths(o);
    assert.equal(p.hba, '/etc/qhb/qhb_hba.conf');
    assert.equal(p.ident, '/etc/qhb/qhb_ident.conf');
    assert.equal(hasCustomHbaFile(o), true);
    assert.equal(hasCustomIdentFile(o), true);
  });

  it("does not count Patroni's own pg_hba.conf / pg_ident.conf as the operator's files", () => {
    const o = options({ hba_file: '/data/qhb/pg_hba.conf', ident_file: 'pg_ident.conf' });
    assert.equal(hasCustomHbaFile(o), false);
    assert.equal(hasCustomIdentFile(o), false);
    assert.equal(resolvePaths(o).ident, '/data/qhb/pg_ident.conf');
  });
});
