import type { ClusterSnapshot, Member } from '../core/model/index.js';
import { PatroniError } from '../shared/errors.js';
import type { CtlConfig } from './config.js';
import type { CtlClock, CtlDcs, CtlIo, RestClient, SqlRunner } from './ports.js';
import { renderMembers } from './render/members.js';

/** Everything a command works with; tests build it from fakes. */
export interface CtlContext {
  readonly config: CtlConfig;
  readonly io: CtlIo;
  readonly rest: RestClient;
  readonly clock: CtlClock;
  /** Opens (or reuses) the DCS client of a cluster. */
  openDcs(clusterName: string): Promise<CtlDcs>;
  readonly sql?: SqlRunner;
}

/** The cluster argument, defaulting to `scope` from the configuration. */
export function clusterNameOf(ctx: CtlContext, given: string | undefined): string {
  const name = given ?? ctx.config.scope;
  if (name === null || name === '') {
    throw new PatroniError('CTL_USAGE', "Missing argument 'CLUSTER_NAME'.");
  }
  return name;
}

/** Role choices of `-r/--role` (3.x keeps `master`). */
export const ROLE_CHOICES = [
  'leader',
  'primary',
  'standby-leader',
  'replica',
  'standby',
  'any',
  'master',
] as const;
export type RoleChoice = (typeof ROLE_CHOICES)[number];

/** ctl.py `get_all_members`: the leader for leader roles, else the non-leaders or everyone. */
export function membersWithRole(cluster: ClusterSnapshot, role: RoleChoice): Member[] {
  if (role === 'leader' || role === 'primary' || role === 'master' || role === 'standby-leader') {
    const leader = cluster.leader;
    if (leader === null || leader.name === '') return [];
    const memberRole = leader.member.role;
    const isStandbyLeader = memberRole === 'standby_leader';
    if (role === 'leader') return [leader.member];
    if (role === 'standby-leader') return memberRole !== 'primary' ? [leader.member] : [];
    return !isStandbyLeader ? [leader.member] : [];
  }
  const leaderName = cluster.leader?.member.name ?? null;
  return cluster.members.filter((m) => role === 'any' || m.name !== leaderName);
}

/** ctl.py `get_any_member`. */
export function anyMember(
  cluster: ClusterSnapshot,
  role: RoleChoice,
  name: string | null,
): Member | null {
  return membersWithRole(cluster, role).find((m) => name === null || m.name === name) ?? null;
}

/** ctl.py `get_all_members_leader_first`: members with an api_url, the leader first. */
export function membersLeaderFirst(cluster: ClusterSnapshot): Member[] {
  const leader = cluster.leader?.member;
  const leaderName = leader !== undefined && leader.apiUrl !== null ? leader.name : null;
  const rest = cluster.members.filter((m) => m.apiUrl !== null && m.name !== leaderName);
  return leader !== undefined && leaderName !== null ? [leader, ...rest] : rest;
}

export function printMembers(
  ctx: CtlContext,
  cluster: ClusterSnapshot,
  name: string,
  fmt = 'pretty',
): void {
  for (const chunk of renderMembers(cluster, { clusterName: name, fmt })) ctx.io.out(chunk);
}

export function ctlFailure(message: string): PatroniError {
  return new PatroniError('CTL_FAILED', message);
}

export interface MemberSelection {
  readonly clusterName: string;
  readonly memberNames: readonly string[];
  readonly role: RoleChoice;
  readonly force: boolean;
  /** The verb of the prompts, e.g. `restart`, `reinitialize`. */
  readonly action: string;
  readonly askConfirmation?: boolean;
}

/**
 * ctl.py `get_members`: prints the cluster table, keeps the named members that have the role
 * (all of them when none are named; a prompt for reinitialize), and asks for confirmation.
 */
export async function selectMembers(
  ctx: CtlContext,
  cluster: ClusterSnapshot,
  sel: MemberSelection,
): Promise<Member[]> {
  const withRole = membersWithRole(cluster, sel.role);
  const candidates = new Set(withRole.map((m) => m.name));
  if (sel.memberNames.length === 0 && candidates.size === 0) {
    throw ctlFailure(`${sel.clusterName} cluster doesn't have any members`);
  }
  printMembers(ctx, cluster, sel.clusterName);
  let names: string[];
  if (sel.memberNames.length > 0) {
    names = [...new Set(sel.memberNames)].filter((n) => candidates.has(n));
    if (names.length === 0) throw ctlFailure(`No ${sel.role} among provided members`);
  } else if (sel.action !== 'reinitialize') {
    names = [...candidates];
  } else {
    names = [];
  }
  if (names.length === 0 && !sel.force) {
    names = [
      await ctx.io.prompt(
        `Which member do you want to ${sel.action} [${[...candidates].join(', ')}]?`,
        '',
      ),
    ];
  }
  for (const n of names) {
    if (!candidates.has(n)) throw ctlFailure(`${n} is not a member of cluster`);
  }
  const members = withRole.filter((m) => names.includes(m.name));
  if (sel.askConfirmation !== false)
    await confirmMembersAction(ctx, members, sel.force, sel.action, null);
  return members;
}

/** ctl.py `confirm_members_action`. */
export async function confirmMembersAction(
  ctx: CtlContext,
  members: readonly Member[],
  force: boolean,
  action: string,
  scheduledAt: string | null,
): Promise<void> {
  if (force) return;
  const names = members.map((m) => m.name).join(', ');
  if (scheduledAt !== null) {
    if (
      !(await ctx.io.confirm(
        `Are you sure you want to schedule ${action} of members ${names} at ${scheduledAt}?`,
      ))
    ) {
      throw ctlFailure(`Aborted scheduled ${action}`);
    }
  } else if (!(await ctx.io.confirm(`Are you sure you want to ${action} members ${names}?`))) {
    throw ctlFailure(`Aborted ${action}`);
  }
}
