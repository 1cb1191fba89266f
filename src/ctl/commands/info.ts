import { errorMessage } from '../../shared/errors.js';
import type { CtlContext, RoleChoice } from '../context.js';
import { anyMember, clusterNameOf, ctlFailure, membersWithRole } from '../context.js';
import { connHostPort } from '../render/cluster-json.js';

export const CTL_VERSION = '3.0.2';

/** `patronictl dsn`: `host=<h> port=<p>` of the first member with the role (leader by default). */
export async function dsnCommand(
  ctx: CtlContext,
  clusterName: string | undefined,
  role: RoleChoice | null,
  member: string | null,
): Promise<void> {
  if (member !== null && role !== null)
    throw ctlFailure('--role and --member are mutually exclusive options');
  const effectiveRole: RoleChoice = member !== null ? 'any' : (role ?? 'leader');
  const cluster = await (await ctx.openDcs(clusterNameOf(ctx, clusterName))).getCluster();
  const m = anyMember(cluster, effectiveRole, member);
  if (m === null) throw ctlFailure('Can not find a suitable member');
  const hp = connHostPort(m);
  ctx.io.out(`host=${hp?.host ?? 'None'} port=${hp?.port ?? 'None'}`);
}

/** PostgreSQL's integer server_version as patronictl prints it: 15.3, or 9.6.24 before 10. */
export function formatPgVersion(version: number): string {
  const major = Math.floor(version / 10000);
  if (version < 100000) return `${major}.${Math.floor(version / 100) % 100}.${version % 100}`;
  return `${major}.${version % 100}`;
}

/** `patronictl version [CLUSTER [MEMBERS...]]`. */
export async function versionCommand(
  ctx: CtlContext,
  clusterName: string | undefined,
  memberNames: readonly string[],
): Promise<void> {
  ctx.io.out(`patronictl version ${CTL_VERSION}`);
  if (clusterName === undefined || clusterName === '') return;
  ctx.io.out('');
  const cluster = await (await ctx.openDcs(clusterName)).getCluster();
  for (const m of membersWithRole(cluster, 'any')) {
    if (m.apiUrl === null || (memberNames.length > 0 && !memberNames.includes(m.name))) continue;
    try {
      const r = await ctx.rest.request(m, 'GET');
      const data = JSON.parse(r.body) as {
        patroni?: { version?: string };
        server_version?: number;
      };
      const pg = data.server_version ? ` PostgreSQL ${formatPgVersion(data.server_version)}` : '';
      ctx.io.out(`${m.name}: Patroni ${data.patroni?.version ?? 'None'}${pg}`);
    } catch (error) {
      ctx.io.out(`${m.name}: failed to get version: ${errorMessage(error)}`);
    }
  }
}
