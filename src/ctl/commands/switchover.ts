import type { ClusterSnapshot, Member } from '../../core/model/index.js';
import { findMember, isPaused } from '../../core/model/index.js';
import { errorMessage } from '../../shared/errors.js';
import type { CtlContext } from '../context.js';
import { clusterNameOf, ctlFailure, printMembers } from '../context.js';
import { logLine } from '../log.js';
import { ctlTimestamp, isoFormat, nextHourExample, parseScheduled } from '../render/time.js';

export type ManualAction = 'switchover' | 'failover';

export interface SwitchoverOptions {
  readonly action: ManualAction;
  readonly clusterName: string | undefined;
  readonly leader: string | null;
  readonly candidate: string | null;
  readonly scheduled: string | null;
  readonly force: boolean;
}

function title(action: ManualAction): string {
  return action === 'switchover' ? 'Switchover' : 'Failover';
}

/** Leader, candidate and schedule, each checked or asked for as ctl.py does, in its order. */
async function resolveRequest(
  ctx: CtlContext,
  cluster: ClusterSnapshot,
  name: string,
  opts: SwitchoverOptions,
): Promise<{ leader: string | null; candidate: string | null; scheduledAt: string | null }> {
  const { action, force } = opts;
  if (action === 'switchover' && (cluster.leader === null || cluster.leader.name === '')) {
    throw ctlFailure('This cluster has no leader');
  }
  let leader = opts.leader;
  if (leader === null) {
    if (force || action === 'failover') {
      leader = cluster.leader?.name ?? null;
    } else {
      // 3.0.2 asks for the 'Standby Leader' only in name: its check never sees the config dict.
      leader = await ctx.io.prompt('Primary', cluster.leader?.member.name ?? '');
    }
  }
  if (leader !== null && cluster.leader !== null && cluster.leader.member.name !== leader) {
    throw ctlFailure(`Member ${leader} is not the leader of cluster ${name}`);
  }
  const candidates = cluster.members
    .filter((m) => m.name !== leader && !m.tags.nofailover)
    .map((m) => m.name)
    .sort();
  if (candidates.length === 0) throw ctlFailure(`No candidates found to ${action} to`);
  let candidate = opts.candidate;
  if (candidate === null && !force) {
    candidate = await ctx.io.prompt(
      `Candidate [${candidates.map((c) => `'${c}'`).join(', ')}]`,
      '',
    );
  }
  if (action === 'failover' && (candidate === null || candidate === '')) {
    throw ctlFailure('Failover could be performed only to a specific candidate');
  }
  if (candidate === leader) throw ctlFailure(`${title(action)} target and source are the same.`);
  if (candidate !== null && candidate !== '' && !candidates.includes(candidate)) {
    throw ctlFailure(`Member ${candidate} does not exist in cluster ${name}`);
  }
  let scheduledAt: string | null = null;
  if (action === 'switchover') {
    let scheduled = opts.scheduled;
    if (scheduled === null && !force) {
      const example = nextHourExample(ctx.clock.now());
      scheduled = await ctx.io.prompt(
        `When should the switchover take place (e.g. ${example} ) `,
        'now',
      );
    }
    const parsed = parseScheduled(scheduled, ctx.clock.now().offsetMinutes);
    if (parsed !== null) {
      if (isPaused(cluster)) throw ctlFailure("Can't schedule switchover in the paused state");
      scheduledAt = isoFormat(parsed);
    }
  }
  return { leader, candidate: candidate === '' ? null : candidate, scheduledAt };
}

async function confirmAction(
  ctx: CtlContext,
  action: ManualAction,
  name: string,
  leader: string | null,
  scheduledAt: string | null,
): Promise<void> {
  const demote = leader !== null && leader !== '' ? `, demoting current leader ${leader}` : '';
  if (scheduledAt !== null) {
    if (
      !(await ctx.io.confirm(
        `Are you sure you want to schedule ${action} of cluster ${name} at ${scheduledAt}${demote}?`,
      ))
    ) {
      throw ctlFailure(`Aborting scheduled ${action}`);
    }
  } else if (
    !(await ctx.io.confirm(`Are you sure you want to ${action} cluster ${name}${demote}?`))
  ) {
    throw ctlFailure(`Aborting ${action}`);
  }
}

/** `patronictl switchover` and `failover` (3.0.2 flow, §3.5/§3.6). */
export async function switchoverCommand(ctx: CtlContext, opts: SwitchoverOptions): Promise<void> {
  const name = clusterNameOf(ctx, opts.clusterName);
  const dcs = await ctx.openDcs(name);
  let cluster = await dcs.getCluster();
  ctx.io.out('Current cluster topology');
  printMembers(ctx, cluster, name);
  const { leader, candidate, scheduledAt } = await resolveRequest(ctx, cluster, name, opts);
  if (!opts.force) await confirmAction(ctx, opts.action, name, leader, scheduledAt);
  // 3.0.2 sends all three keys, null when absent.
  const body = { leader, candidate, scheduled_at: scheduledAt };
  try {
    const target: Member | undefined =
      cluster.leader !== null ? cluster.leader.member : findMember(cluster, candidate ?? '');
    if (target === undefined) throw ctlFailure(`candidate ${candidate ?? ''} has no member key`);
    let r = await ctx.rest.request(target, 'POST', opts.action, body);
    if (
      r.status === 501 &&
      opts.action === 'switchover' &&
      r.body.includes('Server does not support this operation')
    ) {
      r = await ctx.rest.request(target, 'POST', 'failover', body);
    }
    if (r.status !== 200 && r.status !== 202) {
      ctx.io.out(`${title(opts.action)} failed, details: ${r.status}, ${r.body}`);
      return;
    }
    cluster = await dcs.getCluster();
    ctx.io.out(`${ctlTimestamp(ctx.clock.now())} ${r.body}`);
  } catch (error) {
    ctx.io.err(logLine(ctx.clock.now(), 'ERROR', errorMessage(error)));
    ctx.io.err(logLine(ctx.clock.now(), 'WARNING', 'Failing over to DCS'));
    ctx.io.out(
      `${ctlTimestamp(ctx.clock.now())} Could not ${opts.action} using Patroni api, falling back to DCS`,
    );
    await dcs.setFailoverValue(failoverValue(leader, candidate, scheduledAt));
  }
  printMembers(ctx, cluster, name);
}

/** `manual_failover(leader, candidate, scheduled_at)`: only the truthy fields, compact JSON. */
export function failoverValue(
  leader: string | null,
  candidate: string | null,
  scheduledAt: string | null,
): string {
  const v: Record<string, string> = {};
  if (leader !== null && leader !== '') v['leader'] = leader;
  if (candidate !== null && candidate !== '') v['member'] = candidate;
  if (scheduledAt !== null) v['scheduled_at'] = scheduledAt;
  return JSON.stringify(v);
}
