import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { healthCheck } from '../core/health/endpoints.js';
import { statusDocument } from '../core/health/status.js';
import type { SelfIdentity } from '../core/ha/input.js';
import { UNKNOWN_PG_STATE } from '../core/model/local-pg.js';
import type { LocalPgState } from '../core/model/local-pg.js';
import { NO_TAGS } from '../core/model/tags.js';
import { ManualClock } from '../shared/clock.js';
import { DaemonApi, slotPositions } from './api-context.js';
import type { DaemonApiDeps } from './api-context.js';
import type { NodeRuntime } from './runtime.js';
import type { FreshPgRead } from '../core/health/fresh-view.js';

const RUNNING_REPLICA: LocalPgState = {
  ...UNKNOWN_PG_STATE,
  dataDirEmpty: false,
  state: 'running',
  postmasterRunning: true,
  accepting: true,
  inRecovery: true,
  timeline: 1,
  serverVersion: 150000,
  postmasterStartTime: '2026-12-05 19:29:23.57819+00',
};

/** Only what DaemonApi.view reads: the runtime fields of buildNodeView and the pg liveness. */
function api(
  gone: { value: boolean },
  queryStatus: () => Promise<FreshPgRead | null> = () => Promise.resolve(null),
  clock = new ManualClock(),
): DaemonApi {
  const runtime = {
    self: { name: 'postgres1', version: '3.0.2', tags: NO_TAGS } as unknown as SelfIdentity,
    effective: {
      pause: true,
      standbyCluster: null,
      ha: { failsafeMode: false, synchronousMode: false, ttl: 30, loopWait: 10 },
    },
    memory: { role: 'replica', leaderUntil: 0, failsafeActiveSince: null },
    cluster: null,
    pg: RUNNING_REPLICA,
    dcsLastSeenMs: 0,
    nextRunAtMs: 0,
    scheduledRestart: null,
  } as unknown as NodeRuntime;
  const deps = {
    runtime,
    pg: { answeredPostmasterGone: () => gone.value, queryStatus },
    clock,
    scope: 'batman',
  } as unknown as DaemonApiDeps;
  return new DaemonApi(deps);
}

describe('DaemonApi.view: a postmaster killed between two cycles', () => {
  it('is reported as not answering at once, as Patroni per-request query finds', () => {
    const gone = { value: false };
    const ctx = api(gone);
    assert.equal(healthCheck('GET', '/replica', {}, ctx.view()).status, 200);
    gone.value = true;
    const view = ctx.view();
    assert.equal(healthCheck('GET', '/replica', {}, view).status, 503);
    assert.equal(healthCheck('GET', '/health', {}, view).status, 503);
    const doc = statusDocument(view);
    assert.equal(doc['state'], 'unknown');
    assert.equal(doc['role'], 'replica');
    assert.equal(doc['xlog'], undefined);
  });

  it('hands out the same view object while nothing changes, dead postmaster included', () => {
    const gone = { value: true };
    const ctx = api(gone);
    assert.equal(ctx.view(), ctx.view());
    gone.value = false;
    assert.equal(ctx.view().pg, RUNNING_REPLICA);
  });
});

describe('DaemonApi.freshView: PostgreSQL read per request, shared', () => {
  const streaming: FreshPgRead = {
    pg: {
      ...RUNNING_REPLICA,
      inRecovery: false,
      timeline: 2,
      walPosition: 0x3000060,
      replication: [
        {
          pid: 42,
          usename: 'replicator',
          applicationName: 'postgres2',
          clientAddr: '127.0.0.1',
          state: 'streaming',
          syncState: 'async',
          syncPriority: 0,
          writeLsn: null,
          flushLsn: null,
          replayLsn: null,
        },
      ],
    },
    replayedTimestamp: null,
  };

  it('answers 20 concurrent requests with one query, and again after a second', async () => {
    let queries = 0;
    let release: () => void = () => undefined;
    const clock = new ManualClock();
    const ctx = api(
      { value: false },
      () => {
        queries++;
        return new Promise((resolve) => {
          release = () => {
            resolve(streaming);
          };
        });
      },
      clock,
    );
    const views = Array.from({ length: 20 }, () => ctx.freshView());
    await Promise.resolve();
    release();
    const docs = (await Promise.all(views)).map(statusDocument);
    assert.equal(queries, 1);
    for (const doc of docs) {
      assert.equal(doc['role'], 'master');
      assert.deepEqual(doc['xlog'], { location: 0x3000060 });
      assert.equal((doc['replication'] as { state: string }[])[0]?.state, 'streaming');
    }
    // The loop's view is untouched: role checks still answer from it.
    assert.equal(healthCheck('GET', '/replica', {}, ctx.view()).status, 200);
    clock.advance(999);
    await ctx.freshView();
    assert.equal(queries, 1);
    clock.advance(1);
    const again = ctx.freshView();
    await Promise.resolve();
    release();
    await again;
    assert.equal(queries, 2);
  });

  it('keeps the loop view when the query finds nothing, or PostgreSQL is down', async () => {
    let queries = 0;
    const ctx = api({ value: false }, () => {
      queries++;
      return Promise.resolve(null);
    });
    assert.equal(await ctx.freshView(), ctx.view());
    const down = api({ value: true }, () => {
      queries++;
      return Promise.resolve(streaming);
    });
    assert.equal(statusDocument(await down.freshView())['state'], 'unknown');
    assert.equal(queries, 1);
  });
});

describe('slotPositions: the slots of a POST /failsafe body', () => {
  it('keeps name -> LSN pairs and drops what is not one', () => {
    assert.deepEqual(slotPositions({ dcs_slot_0: 67206952, bad: 'x', neg: -1 }), {
      dcs_slot_0: 67206952,
    });
    assert.equal(slotPositions(undefined), null);
    assert.equal(slotPositions([1]), null);
  });
});
