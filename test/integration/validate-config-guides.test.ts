/**
 * The shapes of patroni.yml the seed guides use with etcd's v2 API (`etcd:` with `hosts` as a
 * string or a list, or `host`; with and without `protocol` and credentials; `parameters:` and
 * `users:` left empty) pass `--validate-config` with nothing reported, as with Patroni 3.0.2
 * (which is run on the same files too when it is installed).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEtcd, type EtcdHandle } from '../support/etcd.js';
import { runPatroni } from '../support/patroni-cli.js';
import { freePort } from '../support/ports.js';
import { makeTempDir, removeTempDir } from '../support/tmpdir.js';

const DEBIAN_PATRONI = '/usr/bin/patroni';

function guideConfig(etcdSection: string, dataDir: string, restPort: number): string {
  return `scope: postgres
namespace: /db/
name: pg-node1

restapi:
  listen: 127.0.0.1:${restPort}
  connect_address: 10.0.0.11:8008

${etcdSection}

bootstrap:
  dcs:
    ttl: 30
    loop_wait: 10
    retry_timeout: 10
    maximum_lag_on_failover: 1048576
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:

  initdb:
  - encoding: UTF8
  - data-checksums

  pg_hba:
  - host replication replicator 127.0.0.1/32 md5
  - host replication replicator 10.0.0.11/0 md5
  - host all all 0.0.0.0/0 md5

  users:

postgresql:
  listen: 127.0.0.1:${restPort + 1}
  connect_address: 10.0.0.11:5432
  data_dir: ${dataDir}
  bin_dir: /usr/lib/postgresql/15/bin
  pgpass: /tmp/pgpass0
  authentication:
    replication:
      username: replicator
      password: rep-pass
    superuser:
      username: postgres
      password: secretpassword
    rewind:
      username: rewind_user
      password: rewind_password
  parameters:
    unix_socket_directories: '.'

tags:
    nofailover: false
    noloadbalance: false
    clonefrom: false
    nosync: false
`;
}

function runDebianPatroni(path: string): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(DEBIAN_PATRONI, ['--validate-config', path], { timeout: 60_000 }, (err, out, e) => {
      done({
        code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1,
        output: out + e,
      });
    });
  });
}

describe('the guides’ etcd: configurations pass --validate-config', () => {
  let etcd: EtcdHandle;
  let work = '';

  before(async () => {
    etcd = await startEtcd({ enableV2: true });
    work = await makeTempDir('patroni-ts-guides-');
  });
  after(async () => {
    await etcd.destroy();
    await removeTempDir(work);
  });

  const shapes = (hp: string): [string, string][] => [
    ['hosts as one string', `etcd:\n  hosts: ${hp},${hp}`],
    ['hosts as a list', `etcd:\n  hosts:\n  - ${hp}\n  - ${hp}`],
    ['host', `etcd:\n  host: ${hp}`],
    ['host with protocol', `etcd:\n  host: ${hp}\n  protocol: http`],
    [
      'hosts with protocol and credentials',
      `etcd:\n  hosts: ${hp}\n  protocol: http\n  username: root\n  password: etcd-pass`,
    ],
  ];

  it('every shape: nothing reported, exit 0, as Patroni 3.0.2', async () => {
    for (const [label, section] of shapes(etcd.hostPort)) {
      const path = join(work, `${label.replace(/\W+/g, '-')}.yml`);
      const restPort = await freePort();
      await writeFile(path, guideConfig(section, join(work, 'data'), restPort));
      const ours = await runPatroni(['--validate-config', path]);
      assert.equal(`${ours.stdout}${ours.stderr}`, '', `${label}: nothing reported`);
      assert.equal(ours.code, 0, label);
      if (existsSync(DEBIAN_PATRONI)) {
        const theirs = await runDebianPatroni(path);
        assert.deepEqual([theirs.code, theirs.output], [0, ''], `${label}: Patroni 3.0.2`);
      }
    }
  });
});
