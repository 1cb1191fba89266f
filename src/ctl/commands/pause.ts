import type { ClusterSnapshot } from '../../core/model/index.js';
import { isPaused } from '../../core/model/index.js';
import { errorMessage } from '../../shared/errors.js';
import type { CtlContext } from '../context.js';
import { clusterNameOf, ctlFailure, membersLeaderFirst } from '../context.js';
import { loopWaitOf } from '../config.js';
import { logLine } from '../log.js';
import type { CtlDcs } from '../ports.js';

export interface PauseOptions {
  readonly clusterName: string | undefined;
  readonly paused: boolean;
  readonly wait: boolean;
}

/** `patronictl pause` / `resume`: PATCH /config on the first member that answers, leader first. */
export async function togglePauseCommand(ctx: CtlContext, opts: PauseOptions): Promise<void> {
  const dcs = await ctx.openDcs(clusterNameOf(ctx, opts.clusterName));
  const cluster = await dcs.getCluster();
  if (isPaused(cluster) === opts.paused) {
    throw ctlFailure(`Cluster is ${opts.paused ? 'already' : 'not'} paused`);
  }
  const verb = opts.paused ? 'pause' : 'resume';
  for (const m of membersLeaderFirst(cluster)) {
    let r;
    try {
      r = await ctx.rest.request(m, 'PATCH', 'config', { pause: opts.paused ? true : null });
    } catch (error) {
      ctx.io.err(logLine(ctx.clock.now(), 'WARNING', errorMessage(error)));
      ctx.io.err(logLine(ctx.clock.now(), 'WARNING', `Member ${m.name} is not accessible`));
      continue;
    }
    if (r.status === 200) {
      if (opts.wait) await waitUntilApplied(ctx, dcs, opts.paused, cluster);
      else ctx.io.out(`Success: cluster management is ${opts.paused ? 'paused' : 'resumed'}`);
    } else {
      ctx.io.out(`Failed: ${verb} cluster management status code=${r.status}, (${r.body})`);
    }
    return;
  }
  throw ctlFailure('Can not find accessible cluster member');
}

/** ctl.py `wait_until_pause_is_applied`: poll members' `pause` flags for loop_wait + 1 seconds. */
async function waitUntilApplied(
  ctx: CtlContext,
  dcs: CtlDcs,
  paused: boolean,
  old: ClusterSnapshot,
): Promise<void> {
  ctx.io.out(
    `'${paused ? 'pause' : 'resume'}' request sent, waiting until it is recognized by all nodes`,
  );
  const before = new Map(
    old.members.filter((m) => m.apiUrl !== null).map((m) => [m.name, m.index]),
  );
  const loopWait = loopWaitOf(old.config?.data, ctx.config);
  const deadline = ctx.clock.now().epochMs + (loopWait + 1) * 1000;
  for (;;) {
    const cluster = await dcs.getCluster();
    const done = cluster.members.filter((m) => before.has(m.name)).every((m) => m.pause === paused);
    if (done) break;
    if (ctx.clock.now().epochMs >= deadline) {
      const remaining = cluster.members
        .filter((m) => m.pause !== paused && before.has(m.name) && before.get(m.name) !== m.index)
        .map((m) => m.name);
      if (remaining.length > 0) {
        ctx.io.out(
          `${remaining.join(', ')} members didn't recognized pause state after ${loopWait} seconds`,
        );
        return;
      }
      break;
    }
    await ctx.clock.sleep(1000);
  }
  ctx.io.out(`Success: cluster management is ${paused ? 'paused' : 'resumed'}`);
}
