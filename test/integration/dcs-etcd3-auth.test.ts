import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { isPatroniError } from '../../src/shared/errors.js';
import { MemoryLogger } from '../../src/shared/log/logger.js';
import { createDcs } from '../../src/dcs/index.js';
import type { Dcs } from '../../src/dcs/port.js';
import { readsAgain } from '../support/dcs-adapter.js';
import { startEtcd, type EtcdHandle } from '../support/etcd.js';

const run = promisify(execFile);
const PASSWORD = 'pa55-word-never-logged';
let etcd: EtcdHandle;

async function etcdctl(...args: string[]): Promise<void> {
  await run('/usr/bin/etcdctl', ['--endpoints', etcd.endpoint, '--user', 'root:rootpw', ...args], {
    env: { ...process.env, ETCDCTL_API: '3' },
  });
}

before(async () => {
  etcd = await startEtcd();
  const plain = async (...args: string[]): Promise<void> => {
    await run('/usr/bin/etcdctl', ['--endpoints', etcd.endpoint, ...args], {
      env: { ...process.env, ETCDCTL_API: '3' },
    });
  };
  await plain('role', 'add', 'root');
  await plain('user', 'add', 'root:rootpw');
  await plain('user', 'grant-role', 'root', 'root');
  await plain('auth', 'enable');
  await etcdctl('role', 'add', 'patroni');
  await etcdctl('role', 'grant-permission', 'patroni', '--prefix=true', 'readwrite', '/service/');
  await etcdctl('user', 'add', `patroni:${PASSWORD}`);
  await etcdctl('user', 'grant-role', 'patroni', 'patroni');
});

after(async () => {
  await etcd.destroy();
});

async function open(password: string, log: MemoryLogger): Promise<Dcs> {
  return createDcs(
    {
      scope: 'batman',
      name: 'node1',
      ttl: 10,
      loop_wait: 2,
      retry_timeout: 2,
      etcd3: { hosts: [etcd.hostPort], username: 'patroni', password },
    },
    log,
  );
}

describe('etcd3 adapter with etcd authentication', () => {
  it('works with the right username and password: lock, member, read', async () => {
    const log = new MemoryLogger();
    const dcs = await open(PASSWORD, log);
    try {
      assert.equal(await dcs.attemptToAcquireLeader(), true);
      assert.equal(
        await dcs.touchMember({
          connUrl: 'postgres://h:5432/postgres',
          apiUrl: 'http://h:8008/patroni',
          state: 'running',
          role: 'primary',
          version: '3.0.2',
        }),
        true,
      );
      const c = await dcs.getCluster();
      assert.equal(c.leader?.name, 'node1');
      assert.equal(await dcs.updateLeader(10), true);
    } finally {
      await dcs.close();
    }
  });

  it('a wrong password fails fast with DCS_UNREACHABLE and the password appears nowhere', async () => {
    const log = new MemoryLogger();
    const dcs = await open('wrong-password', log);
    try {
      const t0 = performance.now();
      await assert.rejects(dcs.getCluster(), (e: unknown) => {
        assert.ok(isPatroniError(e, 'DCS_UNREACHABLE'));
        assert.ok(!e.message.includes('wrong-password'), e.message);
        return true;
      });
      assert.ok(performance.now() - t0 < 3500);
      assert.ok(!JSON.stringify(log.lines).includes('wrong-password'));
    } finally {
      await dcs.close();
    }
  });

  it('a hung etcd (SIGSTOP) during the token exchange still fails within retry_timeout', async () => {
    const dcs = await open(PASSWORD, new MemoryLogger());
    etcd.pause();
    try {
      const t0 = performance.now();
      await assert.rejects(dcs.getCluster(), (e: unknown) => isPatroniError(e, 'DCS_UNREACHABLE'));
      const ms = performance.now() - t0;
      assert.ok(ms < 3500, `took ${ms.toFixed(0)} ms`);
    } finally {
      etcd.resume();
    }
    assert.ok((await readsAgain(dcs, 15_000)) !== null, 'works once etcd runs again');
    await dcs.close();
  });
});
