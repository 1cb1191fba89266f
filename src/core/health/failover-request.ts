import type { ClusterSnapshot } from '../model/cluster.js';
import { isPaused } from '../model/cluster.js';
import type { Member } from '../model/member.js';
import { parseSchedule } from './schedule.js';

export type ManualAction = 'switchover' | 'failover';

/** What `POST /switchover` or `/failover` asks for, validated. */
export interface FailoverPlan {
  readonly action: ManualAction;
  readonly leader: string | null;
  readonly candidate: string | null;
  /** Python isoformat, for a scheduled request. */
  readonly scheduledAt: string | null;
  /**
   * Members whose health must be fetched before writing (at least one must pass); null for a
   * scheduled request, which is not pre-checked.
   */
  readonly membersToCheck: readonly Member[] | null;
}

export type FailoverValidation =
  | { readonly ok: true; readonly plan: FailoverPlan }
  | { readonly ok: false; readonly status: number; readonly message: string };

const fail = (status: number, message: string): FailoverValidation => ({
  ok: false,
  status,
  message,
});

function name(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function title(action: ManualAction): string {
  return action === 'switchover' ? 'Switchover' : 'Failover';
}

export function isSynchronousMode(cluster: ClusterSnapshot): boolean {
  const v = cluster.config?.data['synchronous_mode'];
  return v === true || v === 'on' || v === 'true';
}

/**
 * Patroni 3.0.2 `do_POST_failover` up to the DCS write, in its order: the messages are what
 * operators and patronictl see. `cluster` is a fresh read.
 */
export function validateFailover(
  action: ManualAction,
  body: Readonly<Record<string, unknown>>,
  cluster: ClusterSnapshot,
  nowMs: number,
): FailoverValidation {
  const leader = name(body['leader']);
  const candidate = name(body['candidate']) ?? name(body['member']);
  const paused = isPaused(cluster);
  if (action === 'failover' && candidate === null) {
    return fail(400, 'Failover could be performed only to a specific candidate');
  }
  if (action === 'switchover' && leader === null) {
    return fail(400, 'Switchover could be performed only from a specific leader');
  }
  let scheduledAt: string | null = null;
  const rawSchedule = body['scheduled_at'];
  if (rawSchedule !== undefined && rawSchedule !== null && rawSchedule !== '') {
    if (leader === null)
      return fail(400, `Scheduled ${action} is possible only from a specific leader`);
    if (paused) return fail(400, `Can't schedule ${action} in the paused state`);
    const s = parseSchedule(rawSchedule, action, nowMs);
    if (!s.ok) return fail(s.status, s.message);
    scheduledAt = s.iso;
  }
  if (paused && candidate === null) {
    return fail(400, `${title(action)} is possible only to a specific candidate in a paused state`);
  }
  let membersToCheck: readonly Member[] | null = null;
  if (scheduledAt === null) {
    const checked = candidatesToCheck(cluster, leader, candidate, action);
    if (typeof checked === 'string') return fail(412, checked);
    membersToCheck = checked;
  }
  return { ok: true, plan: { action, leader, candidate, scheduledAt, membersToCheck } };
}

/** `is_failover_possible` minus the health fetch: the members worth asking, or the refusal. */
function candidatesToCheck(
  cluster: ClusterSnapshot,
  leader: string | null,
  candidate: string | null,
  action: ManualAction,
): readonly Member[] | string {
  const sync = cluster.sync.syncStandbys;
  if (leader !== null && cluster.leader?.name !== leader) return 'leader name does not match';
  if (candidate !== null) {
    if (action === 'switchover' && isSynchronousMode(cluster) && !sync.includes(candidate)) {
      return 'candidate name does not match with sync_standby';
    }
    const members = cluster.members.filter((m) => m.name === candidate);
    return members.length > 0 ? members : 'candidate does not exists';
  }
  if (isSynchronousMode(cluster)) {
    const members = cluster.members.filter((m) => sync.includes(m.name));
    return members.length > 0 ? members : `${action} is not possible: can not find sync_standby`;
  }
  const current = cluster.leader?.name ?? null;
  const members = cluster.members.filter((m) => m.name !== current && m.apiUrl !== null);
  return members.length > 0
    ? members
    : `${action} is not possible: cluster does not have members except leader`;
}

/** The sentence after the health fetch found nobody. */
export function noGoodCandidates(action: ManualAction): string {
  return `${action} is not possible: no good candidates have been found`;
}

/**
 * One poll of `poll_failover_result`: the final answer, or null to keep waiting. `oldLeader` is
 * the leader when the request arrived.
 */
export function failoverOutcome(
  action: ManualAction,
  cluster: ClusterSnapshot,
  oldLeader: string | null,
  candidate: string | null,
): { status: 200 | 503; message: string } | null {
  const current = cluster.leader?.name ?? null;
  const verb = action === 'switchover' ? 'switched' : 'failed';
  if (current !== null && current !== oldLeader) {
    if (candidate === null || candidate === current) {
      return { status: 200, message: `Successfully ${verb} over to "${current}"` };
    }
    const Verb = verb === 'switched' ? 'Switched' : 'Failed';
    return { status: 200, message: `${Verb} over to "${current}" instead of "${candidate}"` };
  }
  const f = cluster.failover;
  // Patroni's Failover is falsy when it names neither a leader nor a candidate.
  if (f === null || ((f.leader ?? '') === '' && (f.candidate ?? '') === '')) {
    return { status: 503, message: `${title(action)} failed` };
  }
  return null;
}
