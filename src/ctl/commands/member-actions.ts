import type { Member } from '../../core/model/index.js';
import { isPaused } from '../../core/model/index.js';
import { errorMessage } from '../../shared/errors.js';
import type { CtlContext, RoleChoice } from '../context.js';
import { confirmMembersAction, ctlFailure, membersLeaderFirst, selectMembers } from '../context.js';
import { loopWaitOf } from '../config.js';
import { logLine } from '../log.js';
import type { RestResponse } from '../ports.js';
import { ctlTimestamp, isoFormat, nextHourExample, parseScheduled } from '../render/time.js';

/** ctl.py `check_response`: a `Failed: ...` line for >= 400, else `Success: ...` unless silent. */
function checkResponse(
  ctx: CtlContext,
  r: RestResponse,
  member: string,
  action: string,
  silent = false,
): boolean {
  if (r.status >= 400) {
    ctx.io.out(`Failed: ${action} for member ${member}, status code=${r.status}, (${r.body})`);
    return false;
  }
  if (!silent) ctx.io.out(`Success: ${action} for member ${member}`);
  return true;
}

/** `postgres_version_to_int`'s validation: X.Y (X >= 10) or X.Y.Z, integers. */
export function checkPostgresVersion(version: string): void {
  const parts = version.split('.');
  if (parts.some((p) => !/^\s*[+-]?\d+\s*$/.test(p)))
    throw ctlFailure(`Invalid PostgreSQL version: ${version}`);
  const nums = parts.map(Number);
  if (nums.length < 2 || (nums.length === 2 && (nums[0] ?? 0) < 10) || nums.length > 3) {
    throw ctlFailure(`Invalid PostgreSQL version format: X.Y or X.Y.Z is accepted: ${version}`);
  }
}

export interface ReloadOptions {
  readonly clusterName: string;
  readonly memberNames: readonly string[];
  readonly role: RoleChoice;
  readonly force: boolean;
}

/** `patronictl reload`. */
export async function reloadCommand(ctx: CtlContext, opts: ReloadOptions): Promise<void> {
  const cluster = await (await ctx.openDcs(opts.clusterName)).getCluster();
  const members = await selectMembers(ctx, cluster, { ...opts, action: 'reload' });
  for (const m of members) {
    const r = await ctx.rest.request(m, 'POST', 'reload');
    if (r.status === 200) ctx.io.out(`No changes to apply on member ${m.name}`);
    else if (r.status === 202) {
      const loopWait = loopWaitOf(cluster.config?.data, ctx.config);
      ctx.io.out(
        `Reload request received for member ${m.name} and will be processed within ${loopWait} seconds`,
      );
    } else ctx.io.out(`Failed: reload for member ${m.name}, status code=${r.status}, (${r.body})`);
  }
}

export interface RestartOptions extends ReloadOptions {
  readonly any: boolean;
  readonly scheduled: string | null;
  readonly pgVersion: string | null;
  readonly pending: boolean;
  readonly timeout: string | null;
  /** Picks the one member of `--any`; random in production. */
  readonly pick?: (members: readonly Member[]) => Member | undefined;
}

/** `patronictl restart`. */
export async function restartCommand(ctx: CtlContext, opts: RestartOptions): Promise<void> {
  const cluster = await (await ctx.openDcs(opts.clusterName)).getCluster();
  let members = await selectMembers(ctx, cluster, {
    ...opts,
    action: 'restart',
    askConfirmation: false,
  });
  let scheduled = opts.scheduled;
  if (scheduled === null && !opts.force) {
    const example = nextHourExample(ctx.clock.now());
    scheduled = await ctx.io.prompt(`When should the restart take place (e.g. ${example}) `, 'now');
  }
  const parsed = parseScheduled(scheduled, ctx.clock.now().offsetMinutes);
  const scheduledAt = parsed === null ? null : isoFormat(parsed);
  await confirmMembersAction(ctx, members, opts.force, 'restart', scheduledAt);
  if (opts.any) {
    const one = (opts.pick ?? randomPick)(members);
    members = one === undefined ? [] : [one];
  }
  let version = opts.pgVersion;
  if (version === null && !opts.force) {
    version = await ctx.io.prompt(
      'Restart if the PostgreSQL version is less than provided (e.g. 9.5.2) ',
      '',
    );
  }
  const content: Record<string, unknown> = {};
  if (opts.pending) content['restart_pending'] = true;
  if (version !== null && version !== '') {
    checkPostgresVersion(version);
    content['postgres_version'] = version;
  }
  if (scheduledAt !== null) {
    if (isPaused(cluster)) throw ctlFailure("Can't schedule restart in the paused state");
    content['schedule'] = scheduledAt;
  }
  if (opts.timeout !== null) content['timeout'] = opts.timeout;
  for (const m of members) {
    if ('schedule' in content && opts.force && m.data['scheduled_restart'] !== undefined) {
      const r = await ctx.rest.request(m, 'DELETE', 'restart');
      checkResponse(ctx, r, m.name, 'flush scheduled restart', true);
    }
    const r = await ctx.rest.request(m, 'POST', 'restart', content);
    if (r.status === 200) ctx.io.out(`Success: restart on member ${m.name}`);
    else if (r.status === 202) ctx.io.out(`Success: restart scheduled on member ${m.name}`);
    else if (r.status === 409)
      ctx.io.out(`Failed: another restart is already scheduled on member ${m.name}`);
    else ctx.io.out(`Failed: restart for member ${m.name}, status code=${r.status}, (${r.body})`);
  }
}

function randomPick(members: readonly Member[]): Member | undefined {
  return members[Math.floor(Math.random() * members.length)];
}

export interface ReinitOptions {
  readonly clusterName: string;
  readonly memberNames: readonly string[];
  readonly force: boolean;
  readonly wait: boolean;
  /** Poll period of `--wait`; 2 s as Patroni. */
  readonly pollMs?: number;
}

/** `patronictl reinit`. */
export async function reinitCommand(ctx: CtlContext, opts: ReinitOptions): Promise<void> {
  const cluster = await (await ctx.openDcs(opts.clusterName)).getCluster();
  const members = await selectMembers(ctx, cluster, {
    ...opts,
    role: 'replica',
    action: 'reinitialize',
  });
  const waitOn: Member[] = [];
  for (const m of members) {
    const body = { force: opts.force };
    let started: boolean;
    for (;;) {
      const r = await ctx.rest.request(m, 'POST', 'reinitialize', body);
      started = checkResponse(ctx, r, m.name, 'reinitialize');
      if (!started && r.body.endsWith(' already in progress') && !opts.force) {
        if (await ctx.io.confirm('Do you want to cancel it and reinitialize anyway?')) {
          body.force = true;
          continue;
        }
      }
      break;
    }
    if (started && opts.wait) waitOn.push(m);
  }
  let shown = '';
  while (waitOn.length > 0) {
    const names = waitOn.map((m) => m.name).join(', ');
    if (names !== shown) {
      ctx.io.out(`Waiting for reinitialize to complete on: ${names}`);
      shown = names;
    }
    await ctx.clock.sleep(opts.pollMs ?? 2000);
    for (const m of [...waitOn]) {
      const r = await ctx.rest.request(m, 'GET', 'patroni');
      const state = parseState(r.body);
      if (state !== 'creating replica') {
        ctx.io.out(`Reinitialize is completed on: ${m.name}`);
        waitOn.splice(waitOn.indexOf(m), 1);
      }
    }
  }
}

function parseState(body: string): unknown {
  try {
    const v = JSON.parse(body) as unknown;
    return typeof v === 'object' && v !== null
      ? (v as Record<string, unknown>)['state']
      : undefined;
  } catch {
    return undefined;
  }
}

export interface FlushOptions extends ReloadOptions {
  readonly target: 'restart' | 'switchover';
}

/** `patronictl flush`. */
export async function flushCommand(ctx: CtlContext, opts: FlushOptions): Promise<void> {
  const dcs = await ctx.openDcs(opts.clusterName);
  const cluster = await dcs.getCluster();
  if (opts.target === 'restart') {
    for (const m of await selectMembers(ctx, cluster, { ...opts, action: 'flush' })) {
      if (m.data['scheduled_restart'] !== undefined && m.data['scheduled_restart'] !== null) {
        const r = await ctx.rest.request(m, 'DELETE', 'restart');
        checkResponse(ctx, r, m.name, 'flush scheduled restart');
      } else {
        ctx.io.out(`No scheduled restart for member ${m.name}`);
      }
    }
    return;
  }
  const failover = cluster.failover;
  if (failover === null || failover.scheduledAt === null) {
    ctx.io.out('No pending scheduled switchover');
    return;
  }
  for (const m of membersLeaderFirst(cluster)) {
    try {
      const r = await ctx.rest.request(m, 'DELETE', 'switchover');
      if (r.status === 200 || r.status === 404) {
        ctx.io.out(`${r.status === 200 ? 'Success' : 'Failed'}: ${r.body}`);
        return;
      }
      ctx.io.out(`Failed: member=${m.name}, status_code=${r.status}, (${r.body})`);
    } catch (error) {
      ctx.io.err(logLine(ctx.clock.now(), 'WARNING', errorMessage(error)));
      ctx.io.err(logLine(ctx.clock.now(), 'WARNING', `Member ${m.name} is not accessible`));
    }
  }
  ctx.io.err(logLine(ctx.clock.now(), 'WARNING', 'Failing over to DCS'));
  ctx.io.out(
    `${ctlTimestamp(ctx.clock.now())} Could not find any accessible member of cluster ${opts.clusterName}`,
  );
  await dcs.setFailoverValue('{}', failover.index);
}
