import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkConfig, parseConfig } from './parse.js';

function base(): Record<string, unknown> {
  return {
    scope: 'batman',
    name: 'node1',
    restapi: { listen: '127.0.0.1:8008', connect_address: '10.0.0.1:8008' },
    etcd: { host: '127.0.0.1:2379' },
    postgresql: {
      listen: '127.0.0.1:5432',
      connect_address: '10.0.0.1:5432',
      data_dir: '/data',
      authentication: {
        superuser: { username: 'postgres', password: 'pw' },
        replication: { username: 'replicator', password: 'pw' },
      },
    },
  };
}

function withChange(path: string, value: unknown): Record<string, unknown> {
  const root = structuredClone(base());
  const keys = path.split('.');
  let node = root;
  for (const k of keys.slice(0, -1)) {
    node[k] ??= {};
    node = node[k] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1] ?? '';
  if (value === undefined) Reflect.deleteProperty(node, last);
  else node[last] = value;
  return root;
}

describe('checkConfig: problems in Patroni validator wording', () => {
  const rows: [string, Record<string, unknown>, string[]][] = [
    ['missing scope', withChange('scope', undefined), ['scope  is not defined.']],
    ['scope not a string', withChange('scope', 5), ['scope 5 is not a string']],
    ['missing restapi', withChange('restapi', undefined), ['restapi  is not defined.']],
    ['restapi not a mapping', withChange('restapi', 'x'), ['restapi x is not a dictionary']],
    [
      'ttl not an integer',
      withChange('bootstrap.dcs.ttl', 'abc'),
      ['bootstrap.dcs.ttl abc is not and integer'],
    ],
    [
      'watchdog mode',
      withChange('watchdog.mode', 'maybe'),
      ["watchdog.mode maybe didn't pass validation: Wrong value"],
    ],
    ['tag not a boolean', withChange('tags.nosync', 'x'), ['tags.nosync x is not a boolean']],
    [
      'empty pg_hba list',
      withChange('postgresql.pg_hba', []),
      ['postgresql.pg_hba [] is an empty list'],
    ],
    [
      'pg_hba entry not a string',
      withChange('postgresql.pg_hba', ['a', 5]),
      ['postgresql.pg_hba.1 5 is not a string'],
    ],
    [
      'request_queue_size range',
      withChange('restapi.request_queue_size', 5000),
      ["restapi.request_queue_size 5000 didn't pass validation: Wrong value"],
    ],
    [
      'missing superuser',
      withChange('postgresql.authentication.superuser', undefined),
      ['postgresql.authentication.superuser  is not defined.'],
    ],
    [
      'missing username',
      withChange('postgresql.authentication.replication.username', undefined),
      ['postgresql.authentication.replication.username  is not defined.'],
    ],
    [
      'initdb entry with two keys',
      withChange('bootstrap.initdb', [{ a: 1, b: 2 }]),
      [
        "bootstrap.initdb.0 {'a': 1, 'b': 2} didn't pass validation: must be a string or a map with exactly one key",
      ],
    ],
    [
      'log level',
      withChange('log.level', 'LOUD'),
      ["log.level LOUD didn't pass validation: Wrong value"],
    ],
    [
      'unix_socket_directories not a string',
      withChange('postgresql.parameters', { unix_socket_directories: 5 }),
      ["postgresql.parameters.unix_socket_directories 5 didn't pass validation: Wrong value"],
    ],
    [
      'custom bootstrap method without command',
      withChange('bootstrap', { method: 'clone', clone: { no_params: true } }),
      ['bootstrap.clone.command  is not defined.'],
    ],
    [
      'secret values are masked',
      withChange('postgresql.authentication.superuser.password', ['x']),
      ['postgresql.authentication.superuser.password ****** is not a string'],
    ],
  ];
  for (const [name, raw, expected] of rows) {
    it(name, () => {
      const check = checkConfig(raw);
      assert.deepEqual(check.problems, expected);
      assert.equal(check.config, null);
    });
  }

  it('lists every DCS as not defined when none is configured', () => {
    const check = checkConfig(withChange('etcd', undefined));
    assert.deepEqual(check.problems, [
      'consul  is not defined.',
      'etcd  is not defined.',
      'etcd3  is not defined.',
      'exhibitor  is not defined.',
      'kubernetes  is not defined.',
      'raft  is not defined.',
      'zookeeper  is not defined.',
    ]);
  });

  it('an etcd section needs one way to find etcd', () => {
    const check = checkConfig(withChange('etcd', { protocol: 'http' }));
    assert.ok(check.problems.includes('etcd.host  is not defined.'), check.problems.join('\n'));
    assert.ok(check.problems.includes('etcd.hosts  is not defined.'));
  });

  it('an empty config is "Config is empty."', () => {
    assert.deepEqual(checkConfig({}).problems, ['Config is empty.']);
    assert.deepEqual(checkConfig(null).problems, ['Config is empty.']);
  });
});

describe('checkConfig: lenient values Patroni accepts', () => {
  it('reads booleans and integers given as strings, hosts as CSV', () => {
    const raw = base();
    raw['tags'] = { nofailover: 'on', noloadbalance: 'no', clonefrom: 1, failover_priority: '2' };
    raw['etcd3'] = { hosts: '10.0.0.1:2379, 10.0.0.2:2379' };
    raw['restapi'] = { ...(raw['restapi'] as object), request_queue_size: '10' };
    raw['bootstrap'] = { dcs: { ttl: '30', postgresql: { use_pg_rewind: 'true' } } };
    const { config } = parseConfig(raw);
    assert.deepEqual(config.tags, {
      nofailover: true,
      noloadbalance: false,
      clonefrom: true,
      failover_priority: 2,
    });
    assert.deepEqual(config.etcd3?.hosts, ['10.0.0.1:2379', '10.0.0.2:2379']);
    assert.equal(config.restapi.request_queue_size, 10);
    assert.equal(config.bootstrap?.dcs?.ttl, 30);
    assert.equal(config.bootstrap.dcs.postgresql?.use_pg_rewind, true);
  });

  it('numeric passwords are text, unknown authentication keys are dropped', () => {
    const raw = withChange('postgresql.authentication.superuser', {
      username: 'postgres',
      password: 12345,
      sslmode: 'require',
      bogus: 'x',
    });
    const { config } = parseConfig(raw);
    assert.deepEqual(config.postgresql.authentication.superuser, {
      username: 'postgres',
      password: '12345',
      sslmode: 'require',
    });
  });

  it('watchdog mode spellings map to the three modes', () => {
    for (const [input, mode] of [
      [false, 'off'],
      ['disabled', 'off'],
      ['auto', 'automatic'],
      ['REQUIRE', 'required'],
    ] as const) {
      assert.equal(parseConfig(withChange('watchdog.mode', input)).config.watchdog?.mode, mode);
    }
  });

  it('accepts the legacy layout of authentication directly under postgresql', () => {
    const raw = base();
    const pg = raw['postgresql'] as Record<string, unknown>;
    pg['superuser'] = { username: 'su' };
    pg['replication'] = { username: 'rep' };
    delete pg['authentication'];
    const { config } = parseConfig(raw);
    assert.equal(config.postgresql.authentication.superuser.username, 'su');
    assert.equal(config.postgresql.authentication.replication.username, 'rep');
  });
});

describe('checkConfig: standby cluster replica methods', () => {
  it('a section named by bootstrap.dcs.standby_cluster.create_replica_methods is no unknown key', () => {
    const raw = withChange('postgresql.backup_restore', { command: 'restore.py' });
    raw['bootstrap'] = {
      dcs: {
        standby_cluster: { host: 'h', port: 5433, create_replica_methods: ['backup_restore'] },
      },
    };
    assert.deepEqual(checkConfig(raw).warnings, []);
  });
});

describe('checkConfig: warnings', () => {
  it('warns about unknown keys but accepts the config', () => {
    const raw = withChange('restapi.ttl', 30);
    (raw['postgresql'] as Record<string, unknown>)['create_replica_methods'] = [
      'wal_g',
      'basebackup',
    ];
    (raw['postgresql'] as Record<string, unknown>)['wal_g'] = { command: 'wal-g fetch', extra: 1 };
    raw['bootstrap'] = { method: 'restore', restore: { command: 'x', anything: 1 }, dcs: {} };
    raw['shiny'] = true;
    const check = checkConfig(raw);
    assert.deepEqual(check.problems, []);
    assert.deepEqual(check.warnings, [
      'Unknown configuration key restapi.ttl is ignored',
      'Unknown configuration key shiny is ignored',
    ]);
  });

  it("takes restapi.dashboard (ours) as a known boolean, in Patroni's spellings", () => {
    const on = checkConfig(withChange('restapi.dashboard', 'on'));
    assert.deepEqual([on.problems, on.warnings], [[], []]);
    assert.equal(
      (
        parseConfig(withChange('restapi.dashboard', 'yes')).config.restapi as {
          dashboard?: unknown;
        }
      ).dashboard,
      true,
    );
    assert.deepEqual(checkConfig(withChange('restapi.dashboard', 'maybe')).problems, [
      'restapi.dashboard maybe is not a boolean',
    ]);
  });

  it('warns when nofailover and failover_priority disagree', () => {
    const check = checkConfig(withChange('tags', { nofailover: true, failover_priority: 1 }));
    assert.deepEqual(check.warnings, [
      'Conflicting configuration between nofailover: True and failover_priority: 1. Defaulting to nofailover: True',
    ]);
  });
});

describe('checkConfig: reports everything at once', () => {
  it('missing DCS is reported beside other problems, in Patroni’s key order', () => {
    const raw = withChange('etcd', undefined);
    delete raw['scope'];
    (raw['postgresql'] as Record<string, unknown>)['pg_ctl_timeout'] = 'x';
    const check = checkConfig(raw);
    assert.deepEqual(check.problems, [
      'scope  is not defined.',
      'consul  is not defined.',
      'etcd  is not defined.',
      'etcd3  is not defined.',
      'exhibitor  is not defined.',
      'kubernetes  is not defined.',
      'raft  is not defined.',
      'zookeeper  is not defined.',
      'postgresql.pg_ctl_timeout x is not and integer',
    ]);
  });
});

describe('checkConfig: keys that are not typos', () => {
  it('does not warn about loosely checked DCS sections or local keys in bootstrap.dcs.postgresql', () => {
    const raw = base();
    raw['zookeeper'] = { hosts: ['z1:2181'], some_future_key: 1 };
    raw['tags'] = { nofailover: false, weight: 2, dc: 'east' };
    raw['bootstrap'] = {
      dcs: { postgresql: { create_replica_methods: ['basebackup'] }, bogus: 1 },
    };
    const check = checkConfig(raw);
    assert.deepEqual(check.problems, []);
    assert.deepEqual(check.warnings, ['Unknown configuration key bootstrap.dcs.bogus is ignored']);
  });
});

describe('checkConfig: an empty config', () => {
  it('lists every required key for --validate-config', () => {
    assert.deepEqual(checkConfig({}, { listMissingWhenEmpty: true }).problems, [
      'name  is not defined.',
      'scope  is not defined.',
      'restapi  is not defined.',
      'consul  is not defined.',
      'etcd  is not defined.',
      'etcd3  is not defined.',
      'exhibitor  is not defined.',
      'kubernetes  is not defined.',
      'raft  is not defined.',
      'zookeeper  is not defined.',
      'postgresql  is not defined.',
    ]);
  });
});

describe('checkConfig: empty keys the guides leave (Patroni 3.0.2 takes them as none)', () => {
  it('accepts empty bootstrap.users, bootstrap.dcs.postgresql and its parameters', () => {
    const raw = {
      ...base(),
      bootstrap: {
        dcs: { ttl: 30, postgresql: { use_pg_rewind: true, parameters: null } },
        users: null,
      },
    };
    const check = checkConfig(raw);
    assert.deepEqual(check.problems, []);
    assert.equal(check.config?.bootstrap?.users, undefined);
    assert.equal(check.config?.bootstrap?.dcs?.postgresql?.parameters, undefined);
    const emptyPg = checkConfig({ ...base(), bootstrap: { dcs: { postgresql: null } } });
    assert.deepEqual(emptyPg.problems, []);
  });
});
