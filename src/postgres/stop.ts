import { pgCtlTimeoutMs } from '../core/pg/options.js';
import { PatroniError, errorMessage } from '../shared/errors.js';
import { localCheckpoint } from './checkpoint.js';
import type { PgContext } from './context.js';
import { controlData } from './controldata.js';
import { livePostmaster, processAlive, signalProcess } from './postmaster-pid.js';
import { descendantsOf, parentTable, processGone } from './process-tree.js';

export type StopMode = 'smart' | 'fast' | 'immediate';

const SIGNAL_OF: Readonly<Record<StopMode, NodeJS.Signals>> = {
  smart: 'SIGTERM',
  fast: 'SIGINT',
  immediate: 'SIGQUIT',
};

/** After the requested mode timed out: how long `immediate`, then SIGKILL, may take. */
export const IMMEDIATE_GRACE_MS = 10_000;
export const KILL_GRACE_MS = 5_000;
const EXIT_POLL_MS = 25;

export interface StopOptions {
  readonly mode?: StopMode | undefined;
  /** CHECKPOINT first so the shutdown is quick; default: mode != immediate. */
  readonly checkpoint?: boolean | undefined;
  /** How long the requested mode may take before escalation; default pg_ctl_timeout. */
  readonly timeoutMs?: number | undefined;
  /** Restarts and role-changing follows fire their own callback instead of on_stop. */
  readonly blockCallbacks?: boolean | undefined;
  /**
   * Once pg_control says `shut down` (the shutdown checkpoint is on disk), how long the
   * postmaster may still wait for its walsenders before `immediate`; absent: as long as the
   * mode's timeout. A primary's fast shutdown exits only when every standby has confirmed the
   * checkpoint record; behind a cut network that is wal_sender_timeout (60 s) or the heal plus
   * TCP's retransmission backoff. Nothing is lost by not waiting: the checkpoint is written.
   */
  readonly walsenderWaitMs?: number | undefined;
}

/** How often a stop waiting on walsenders reads pg_control. */
const CONTROL_POLL_MS = 250;

/**
 * Stops PostgreSQL with the named mode and an explicit escalation: the mode's signal, then
 * `immediate` (SIGQUIT) after `timeoutMs`, then SIGKILL of the postmaster and each of its children
 * after IMMEDIATE_GRACE_MS. Returns false when nothing was running. Throws PG_STOP_FAILED when even
 * SIGKILL did not end it.
 */
export async function stopPostgres(ctx: PgContext, opts: StopOptions = {}): Promise<boolean> {
  const mode = opts.mode ?? 'fast';
  const pm = await livePostmaster(ctx.paths.dataDir);
  if (pm === null) {
    await ctx.conn.close();
    if (!ctx.lifecycle.is('stopped')) ctx.lifecycle.transition('stopped');
    return false;
  }
  if ((opts.checkpoint ?? mode !== 'immediate') && ctx.lifecycle.is('running')) {
    await localCheckpoint(ctx).catch((err: unknown) => {
      ctx.logger.warning(`CHECKPOINT before stop failed: ${errorMessage(err)}`);
    });
  }
  await ctx.conn.close();
  ctx.lifecycle.transition('stopping');
  const stopped = await escalate(
    ctx,
    pm.pid,
    mode,
    opts.timeoutMs ?? pgCtlTimeoutMs(ctx.options),
    opts.walsenderWaitMs,
  );
  if (!stopped) {
    ctx.lifecycle.transition('stop failed');
    throw new PatroniError('PG_STOP_FAILED', `postmaster (pid ${pm.pid}) did not stop`, {
      recoverable: true,
      details: { pid: pm.pid },
    });
  }
  ctx.lifecycle.transition('stopped');
  ctx.launched = null;
  if (opts.blockCallbacks !== true) ctx.callbacks.call('on_stop', ctx.role);
  return true;
}

async function escalate(
  ctx: PgContext,
  pid: number,
  mode: StopMode,
  timeoutMs: number,
  walsenderWaitMs: number | undefined,
): Promise<boolean> {
  signalProcess(pid, SIGNAL_OF[mode]);
  const outcome =
    walsenderWaitMs === undefined || mode === 'immediate'
      ? (await waitForExit(ctx, pid, timeoutMs))
        ? 'exited'
        : 'timeout'
      : await waitPastCheckpoint(ctx, pid, timeoutMs, walsenderWaitMs);
  if (outcome === 'exited') return true;
  if (mode !== 'immediate') {
    ctx.logger.warning(
      outcome === 'walsenders'
        ? `PostgreSQL wrote its shutdown checkpoint but its walsenders still wait for standbys after ${walsenderWaitMs ?? 0} ms; using immediate`
        : `PostgreSQL did not stop in ${timeoutMs} ms with mode ${mode}; using immediate`,
    );
    signalProcess(pid, 'SIGQUIT');
    if (await waitForExit(ctx, pid, IMMEDIATE_GRACE_MS)) return true;
  }
  ctx.logger.warning('Sending SIGKILL to Postmaster and its children');
  const children = killWithChildren(pid);
  if (!(await waitForExit(ctx, pid, KILL_GRACE_MS))) return false;
  if (!(await waitUntil(ctx, () => children.every(processGone), KILL_GRACE_MS))) {
    // The postmaster is gone: the stop is done, but a start will find the memory still in use.
    const left = children.filter((c) => !processGone(c));
    ctx.logger.warning(`children of the postmaster still alive after SIGKILL: ${left.join(', ')}`);
  }
  return true;
}

/**
 * SIGKILL to the postmaster and to every process below it (Patroni's `signal_kill`). Each child
 * of a postmaster runs in a session of its own, so the postmaster's process group is the
 * postmaster alone; a child left behind (hung, stopped, or busy in a long query that never looks
 * at its parent) keeps the shared memory attached, and the next start fails with "pre-existing
 * shared memory block is still in use". The postmaster is stopped first so that it forks none
 * between the listing and the kill. Returns the children signalled.
 */
function killWithChildren(pid: number): number[] {
  signalProcess(pid, 'SIGSTOP');
  const children = descendantsOf(pid, parentTable());
  signalProcess(pid, 'SIGKILL');
  for (const child of children) signalProcess(child, 'SIGKILL');
  return children;
}

async function waitUntil(ctx: PgContext, done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = ctx.clock.now() + timeoutMs;
  while (!done()) {
    if (ctx.clock.now() >= deadline) return false;
    await ctx.clock.sleep(EXIT_POLL_MS);
  }
  return true;
}

/**
 * Waits for the postmaster to exit, but only `walsenderWaitMs` past the moment pg_control first
 * said `shut down`: then `walsenders`, and escalate stops it immediately.
 */
async function waitPastCheckpoint(
  ctx: PgContext,
  pid: number,
  timeoutMs: number,
  walsenderWaitMs: number,
): Promise<'exited' | 'timeout' | 'walsenders'> {
  const deadline = ctx.clock.now() + timeoutMs;
  let checkpointedAt: number | null = null;
  while (isRunning(ctx, pid)) {
    const now = ctx.clock.now();
    if (now >= deadline) return 'timeout';
    if (checkpointedAt === null && (await shutdownCheckpointDone(ctx))) checkpointedAt = now;
    if (checkpointedAt !== null && now - checkpointedAt >= walsenderWaitMs) return 'walsenders';
    await waitUntil(ctx, () => !isRunning(ctx, pid), CONTROL_POLL_MS);
  }
  return 'exited';
}

async function shutdownCheckpointDone(ctx: PgContext): Promise<boolean> {
  try {
    return (await controlData(ctx))['Database cluster state'] === 'shut down';
  } catch {
    return false;
  }
}

function waitForExit(ctx: PgContext, pid: number, timeoutMs: number): Promise<boolean> {
  // kill(pid, 0) is cheap; a demotion or a restart waits on this.
  return waitUntil(ctx, () => !isRunning(ctx, pid), timeoutMs);
}

/** Our own child is a zombie until reaped, so its exit event is the truth for it. */
function isRunning(ctx: PgContext, pid: number): boolean {
  if (ctx.launched?.pid === pid) return !ctx.launched.done;
  return processAlive(pid);
}
