import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Dcs } from '../dcs/index.js';
import type { Postgresql } from '../postgres/postgresql.js';
import type { RunSpec } from '../process/runner.js';
import { MemoryLogger } from '../shared/log/logger.js';
import { AsyncSlot } from './async-slot.js';
import { Executor } from './executor.js';
import type { NodeRuntime } from './runtime.js';

/** Only what the promote task touches: the runner for pre_promote, and promote itself. */
function fakePg(
  exitCode: number,
  seen: { cancellable: boolean | null; promoted: boolean },
  slot: AsyncSlot,
) {
  const pg = {
    ctx: {
      runner: {
        run: (spec: RunSpec) => {
          seen.cancellable = slot.current()?.cancellable ?? null;
          assert.deepEqual([spec.command, ...spec.args], ['/bin/check', '--fast']);
          return Promise.resolve({
            exitCode,
            signal: null,
            stdout: '',
            stderr: '',
            timedOut: false,
            aborted: false,
          });
        },
      },
    },
    promote: () => {
      seen.promoted = true;
      return Promise.resolve();
    },
  };
  // The executor only reaches these members on the promote path.
  return pg as unknown as Postgresql;
}

async function promoteWith(exitCode: number) {
  const log = new MemoryLogger();
  const slot = new AsyncSlot(
    log,
    () => 0,
    () => undefined,
  );
  const seen = { cancellable: null as boolean | null, promoted: false };
  const executor = new Executor({
    dcs: {} as Dcs,
    pg: fakePg(exitCode, seen, slot),
    slot,
    // The promote path never reads the runtime.
    runtime: {} as unknown as NodeRuntime,
    bootstrap: {},
    logger: log,
    name: 'node1',
    sleep: () => Promise.resolve(),
    prePromote: '/bin/check --fast',
  });
  await executor.execute([{ type: 'promote', task: 'promote' }]);
  await slot.idle(1);
  return { seen, finished: slot.takeFinished(), log, slot };
}

describe('Executor: promote with pre_promote', () => {
  it('promotes when pre_promote exits 0, cancellable only while the script runs', async () => {
    const { seen, finished } = await promoteWith(0);
    assert.equal(seen.cancellable, true);
    assert.equal(seen.promoted, true);
    assert.deepEqual(finished, { action: 'promote', ok: true, result: true });
  });

  it('does not promote when pre_promote fails; the task reports false for the core', async () => {
    const { seen, finished, log } = await promoteWith(1);
    assert.equal(seen.promoted, false);
    assert.equal(finished?.result, false);
    assert.ok(
      log.lines.some((l) => l.message === 'pre_promote script `/bin/check --fast` exited with 1'),
    );
  });
});

describe('Executor: clone in a standby cluster', () => {
  it('clones with standby_cluster.create_replica_methods and follows the remote with its slot', async () => {
    const log = new MemoryLogger();
    const slot = new AsyncSlot(
      log,
      () => 0,
      () => undefined,
    );
    const calls: unknown[] = [];
    const pg = {
      createReplica: (source: unknown, _signal: unknown, methods: unknown) => {
        calls.push(['clone', source, methods]);
        return Promise.resolve({ ok: true, method: 'backup_restore' });
      },
      follow: (target: unknown) => {
        calls.push(['follow', target]);
        return Promise.resolve('running');
      },
    } as unknown as Postgresql;
    const executor = new Executor({
      dcs: {} as Dcs,
      pg,
      slot,
      runtime: {} as unknown as NodeRuntime,
      bootstrap: {},
      logger: log,
      name: 'node1',
      sleep: () => Promise.resolve(),
    });
    const standby = {
      host: 'h',
      port: 5433,
      primarySlotName: 'pm_1',
      createReplicaMethods: ['backup_restore'],
      restoreCommand: null,
      archiveCleanupCommand: null,
      recoveryMinApplyDelay: null,
    };
    const remote = { name: 'remote_member', connUrl: 'postgres://h:5433/postgres', apiUrl: null };
    await executor.execute([
      {
        type: 'cloneFrom',
        source: { ...remote, standby },
        followAfter: { ...remote, standby },
        task: 'bootstrap_standby_leader',
        replicaMethods: ['backup_restore'],
      },
    ]);
    await slot.idle(1);
    const pgTarget = {
      name: 'remote_member',
      connUrl: 'postgres://h:5433/postgres',
      remote: true,
      primarySlotName: 'pm_1',
      restoreCommand: undefined,
      archiveCleanupCommand: undefined,
      recoveryMinApplyDelay: undefined,
    };
    assert.deepEqual(calls, [
      ['clone', pgTarget, ['backup_restore']],
      ['follow', pgTarget],
    ]);
    assert.ok(
      log.lines.some(
        (l) => l.message === 'bootstrapped clone from remote member postgres://h:5433/postgres',
      ),
    );
  });
});

describe('Executor: reinitialize in a standby cluster', () => {
  it('re-clones the member with standby_cluster.create_replica_methods', async () => {
    const log = new MemoryLogger();
    const slot = new AsyncSlot(
      log,
      () => 0,
      () => undefined,
    );
    const methods: unknown[] = [];
    const pg = {
      stop: () => Promise.resolve(true),
      removeDataDirectory: () => Promise.resolve(),
      createReplica: (_source: unknown, _signal: unknown, m: unknown) => {
        methods.push(m);
        return Promise.resolve({ ok: true, method: 'basebackup' });
      },
      follow: () => Promise.resolve('running'),
    } as unknown as Postgresql;
    const runtime = {
      effective: { standbyCluster: { host: 'h', create_replica_methods: ['backup_restore'] } },
    } as unknown as NodeRuntime;
    const executor = new Executor({
      dcs: {} as Dcs,
      pg,
      slot,
      runtime,
      bootstrap: {},
      logger: log,
      name: 'node2',
      sleep: () => Promise.resolve(),
    });
    const leader = { name: 'node1', connUrl: 'postgres://127.0.0.1:5432/postgres', apiUrl: null };
    await executor.execute([{ type: 'reinitialize', from: leader, task: 'reinitialize' }]);
    await slot.idle(1);
    assert.deepEqual(methods, [['backup_restore']]);
  });
});
