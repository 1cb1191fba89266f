import { readFileSync } from 'node:fs';
import type { ClusterSnapshot } from '../../core/model/index.js';
import type { CtlContext, RoleChoice } from '../context.js';
import { anyMember, clusterNameOf, ctlFailure } from '../context.js';
import { connHostPort } from '../render/cluster-json.js';
import { formatOutput } from '../render/output.js';
import { ctlTimestamp } from '../render/time.js';
import type { SqlResult } from '../ports.js';

export interface QueryOptions {
  readonly clusterName: string | undefined;
  readonly role: RoleChoice | null;
  readonly member: string | null;
  readonly file: string | null;
  readonly command: string | null;
  readonly username: string | null;
  readonly askPassword: boolean;
  readonly dbname: string | null;
  readonly fmt: string;
  readonly delimiter: string;
  readonly watchSeconds: number | null;
  readonly maxRefreshes?: number;
}

/** Recovery state the role asks for: replicas must be in recovery, a primary must not. */
function recoveryWanted(role: RoleChoice): boolean | undefined {
  if (role === 'replica' || role === 'standby' || role === 'standby-leader') return true;
  if (role === 'primary' || role === 'master') return false;
  return undefined;
}

/** `patronictl query` (§3.13): one SQL command on the leader or a chosen member. */
export async function queryCommand(ctx: CtlContext, opts: QueryOptions): Promise<void> {
  if (opts.member !== null && opts.role !== null)
    throw ctlFailure('--role and --member are mutually exclusive options');
  const role: RoleChoice = opts.member !== null ? 'any' : (opts.role ?? 'leader');
  if (opts.file !== null && opts.command !== null)
    throw ctlFailure('--file and --command are mutually exclusive options');
  if (opts.file === null && opts.command === null)
    throw ctlFailure('You need to specify either --command or --file');
  const sql = opts.command ?? readFileSync(opts.file ?? '', 'utf8');
  const password = opts.askPassword ? await ctx.io.prompt('Password', undefined, true) : undefined;
  const dcs = await ctx.openDcs(clusterNameOf(ctx, opts.clusterName));
  for (let count = 0; ; count++) {
    const cluster = await dcs.getCluster();
    const { rows, header } = await queryOnce(ctx, cluster, opts, role, sql, password);
    const text = formatOutput({
      columns: header ?? [],
      rows,
      fmt: opts.fmt,
      delimiter: opts.delimiter,
    });
    if (text !== null) ctx.io.out(text);
    if (opts.watchSeconds === null) return;
    if (opts.maxRefreshes !== undefined && count + 1 >= opts.maxRefreshes) return;
    await ctx.clock.sleep(opts.watchSeconds * 1000);
  }
}

async function queryOnce(
  ctx: CtlContext,
  cluster: ClusterSnapshot,
  opts: QueryOptions,
  role: RoleChoice,
  sql: string,
  password: string | undefined,
): Promise<{ rows: unknown[][]; header: string[] | null }> {
  const now = (): string => ctlTimestamp(ctx.clock.now(), 0);
  const member = anyMember(cluster, role, opts.member);
  const hp = member === null ? null : connHostPort(member);
  const noConnection = (): { rows: unknown[][]; header: null } => ({
    rows: [
      [
        now(),
        opts.member !== null
          ? `No connection to member ${opts.member} is available`
          : `No connection to role=${role} is available`,
      ],
    ],
    header: null,
  });
  if (hp === null || ctx.sql === undefined) return noConnection();
  const wanted = recoveryWanted(role);
  // 3.0.2 drops the member's database: without -d, libpq's default (the user name) is used.
  const dbname = opts.dbname;
  const result: SqlResult = await ctx.sql.run({
    host: hp.host,
    port: hp.port,
    sql,
    ...(dbname !== null ? { dbname } : {}),
    ...(opts.username !== null ? { user: opts.username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(wanted !== undefined ? { requireRecovery: wanted } : {}),
  });
  if (result.kind === 'wrong-role') return noConnection();
  if (result.kind === 'error')
    return {
      rows: [[now(), `ERROR, SQLSTATE: ${result.sqlstate.replace(/\n/g, ' ')}`]],
      header: null,
    };
  return { rows: result.rows.map((r) => [...r]), header: [...result.columns] };
}
