import {
  failoverOutcome,
  noGoodCandidates,
  validateFailover,
  type FailoverPlan,
  type ManualAction,
} from '../../core/health/failover-request.js';
import { errorMessage } from '../../shared/errors.js';
import { httpError, text, type Reply } from '../reply.js';
import type { Route, RouteDeps, RouteRequest } from '../route.js';

const py = (v: unknown): string =>
  typeof v === 'string' ? v : v == null ? 'None' : JSON.stringify(v);

async function manualFailover(
  action: ManualAction,
  req: RouteRequest,
  deps: RouteDeps,
): Promise<Reply> {
  const { ctx, clock, log } = deps;
  const b = req.body;
  const cluster = await ctx.getCluster();
  log.info(
    `received ${action} request with leader=${py(b['leader'])} ` +
      `candidate=${py(b['candidate'] ?? b['member'])} scheduled_at=${py(b['scheduled_at'])}`,
  );
  const checked = validateFailover(action, b, cluster, clock.wallNow());
  if (!checked.ok) return text(checked.status, checked.message);
  const plan = checked.plan;
  if (plan.membersToCheck !== null && !(await ctx.anyHealthyCandidate(plan.membersToCheck))) {
    return text(412, noGoodCandidates(action));
  }
  const written = await ctx.setFailoverValue({
    leader: plan.leader,
    candidate: plan.candidate,
    scheduledAt: plan.scheduledAt,
  });
  if (!written) return text(503, `failed to write ${action} key into DCS`);
  ctx.wakeup();
  const title = action === 'switchover' ? 'Switchover' : 'Failover';
  if (plan.scheduledAt !== null) return text(202, `${title} scheduled`);
  return pollResult(plan, cluster.leader?.name ?? null, deps);
}

/**
 * Polls the DCS for `2 * max(10, loop_wait)` seconds (Patroni's budget), every 200 ms rather than
 * Patroni's second: the answer (and `patronictl switchover`) returns as soon as the new leader
 * holds the lock, for five small reads a second during a switchover only.
 */
const POLL_MS = 200;

async function pollResult(
  plan: FailoverPlan,
  oldLeader: string | null,
  deps: RouteDeps,
): Promise<Reply> {
  const { ctx, clock, log } = deps;
  const rounds = (Math.max(10, ctx.view().loopWait) * 2 * 1000) / POLL_MS;
  for (let i = 0; i < rounds; i++) {
    await clock.sleep(POLL_MS);
    try {
      const outcome = failoverOutcome(
        plan.action,
        await ctx.getCluster(),
        oldLeader,
        plan.candidate,
      );
      if (outcome !== null) return text(outcome.status, outcome.message);
    } catch (e) {
      log.debug(`Exception occurred during polling ${plan.action} result: ${errorMessage(e)}`);
    }
  }
  const title = plan.action === 'switchover' ? 'Switchover' : 'Failover';
  return text(503, `${title} status unknown`);
}

export const switchoverRoutes: readonly Route[] = [
  {
    method: 'POST',
    segment: 'switchover',
    unsafe: true,
    body: 'required',
    handle: (req, deps) => manualFailover('switchover', req, deps),
  },
  {
    method: 'POST',
    segment: 'failover',
    unsafe: true,
    body: 'required',
    handle: (req, deps) => manualFailover('failover', req, deps),
  },
  {
    method: 'DELETE',
    segment: 'switchover',
    unsafe: true,
    body: 'none',
    handle: async (_req, { ctx }) => {
      const failover = (await ctx.getCluster()).failover;
      if (failover?.scheduledAt == null) return text(404, 'no switchover is scheduled');
      const cleared = { leader: null, candidate: null, scheduledAt: null };
      if (!(await ctx.setFailoverValue(cleared, failover.index))) return httpError(409);
      return text(200, 'scheduled switchover deleted');
    },
  },
];
