import type { ClusterSnapshot } from '../../core/model/index.js';
import type { CtlContext } from '../context.js';
import { clusterNameOf } from '../context.js';
import { renderMembers } from '../render/members.js';
import { renderConfig, renderHistory } from '../render/history.js';
import { ctlTimestamp } from '../render/time.js';
import { logLine } from '../log.js';

export interface ListOptions {
  readonly clusterNames: readonly string[];
  readonly extended: boolean;
  readonly timestamp: boolean;
  readonly fmt: string;
  /** `-W` (2 s) or `-w N`: seconds between refreshes; null prints once. */
  readonly watchSeconds: number | null;
  /** Ours: a `Lease` column with the leader's remaining lease, asked of its REST API. */
  readonly lease?: boolean;
  /** Stops a watch loop after this many refreshes (tests); unlimited when absent. */
  readonly maxRefreshes?: number;
}

/** ctl.py `watching`: yields once, then every `watch` seconds, clearing the screen each time. */
async function watching(
  ctx: CtlContext,
  opts: ListOptions,
  body: () => Promise<void>,
): Promise<void> {
  const clear = opts.watchSeconds !== null;
  for (let count = 0; ; count++) {
    if (clear) ctx.io.clear();
    await body();
    if (opts.watchSeconds === null) return;
    if (opts.maxRefreshes !== undefined && count + 1 >= opts.maxRefreshes) return;
    await ctx.clock.sleep(opts.watchSeconds * 1000);
  }
}

/** `patronictl list` / `topology`. */
export async function listCommand(ctx: CtlContext, opts: ListOptions): Promise<void> {
  let names = opts.clusterNames;
  if (names.length === 0 && ctx.config.scope !== null) names = [ctx.config.scope];
  if (names.length === 0) {
    ctx.io.err(
      logLine(ctx.clock.now(), 'WARNING', 'Listing members: No cluster names were provided'),
    );
    return;
  }
  await watching(ctx, opts, async () => {
    if (opts.timestamp) ctx.io.out(ctlTimestamp(ctx.clock.now(), 0));
    for (const name of names) {
      const cluster = await (await ctx.openDcs(name)).getCluster();
      for (const chunk of renderMembers(cluster, {
        clusterName: name,
        extended: opts.extended,
        fmt: opts.fmt,
        ...(opts.lease === true ? { leaseRemaining: await leaseRemaining(ctx, cluster) } : {}),
      })) {
        ctx.io.out(chunk);
      }
    }
  });
}

/** The leader's `lease_remaining` from its GET /patroni; null when it cannot say. */
async function leaseRemaining(ctx: CtlContext, cluster: ClusterSnapshot): Promise<number | null> {
  const leader = cluster.leader;
  if (leader === null || leader.member.apiUrl === null) return null;
  try {
    const r = await ctx.rest.request(leader.member, 'GET', 'patroni');
    const doc = JSON.parse(r.body) as unknown;
    if (typeof doc !== 'object' || doc === null) return null;
    const v = (doc as Record<string, unknown>)['lease_remaining'];
    return typeof v === 'number' ? v : null;
  } catch {
    return null;
  }
}

/** `patronictl history`. */
export async function historyCommand(
  ctx: CtlContext,
  clusterName: string | undefined,
  fmt: string,
): Promise<void> {
  const cluster = await (await ctx.openDcs(clusterNameOf(ctx, clusterName))).getCluster();
  const text = renderHistory(cluster, fmt);
  if (text !== null) ctx.io.out(text);
}

/**
 * `patronictl show-config`. 3.0.2 crashes with a traceback when the cluster has no config key;
 * we print what 4.x prints instead: nothing.
 */
export async function showConfigCommand(
  ctx: CtlContext,
  clusterName: string | undefined,
): Promise<void> {
  const cluster = await (await ctx.openDcs(clusterNameOf(ctx, clusterName))).getCluster();
  if (cluster.config === null) return;
  ctx.io.out(renderConfig(cluster.config.data));
}
