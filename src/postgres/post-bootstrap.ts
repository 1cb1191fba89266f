import type { BootstrapOptions } from '../core/pg/options.js';
import { rewindCredentials } from '../core/pg/options.js';
import { shlexSplit } from '../core/pg/shlex.js';
import { PatroniError } from '../shared/errors.js';
import { runPostBootstrapScript } from './bootstrap.js';
import type { PgContext } from './context.js';
import { reloadPostgres, restartPostgres } from './control.js';
import { hasCustomHbaFile } from './paths.js';
import { createOrAlterRole, grantRewind, userOptions } from './roles.js';

/**
 * Patroni's `Bootstrap.post_bootstrap` (spec/core.md §10.3), on the running new primary: the
 * superuser password, the post_bootstrap script, the replication role, the rewind role with its
 * grants, then bootstrap.users.
 */
export async function postBootstrap(ctx: PgContext, bootstrap: BootstrapOptions): Promise<void> {
  const auth = ctx.options.authentication;
  const su = auth.superuser;
  if (su.password !== undefined && su.password !== '') {
    await createOrAlterRole(ctx.conn, su.username, su.password, ['SUPERUSER']);
  }
  if (bootstrap.postBootstrap !== undefined && bootstrap.postBootstrap !== '') {
    const argv = shlexSplit(bootstrap.postBootstrap);
    if (argv === null || argv.length === 0) {
      throw new PatroniError(
        'CONFIG_INVALID',
        'bootstrap.post_bootstrap: can not parse the command',
      );
    }
    await runPostBootstrapScript(ctx, bootstrap.postBootstrap, argv);
  }
  const repl = auth.replication;
  await createOrAlterRole(ctx.conn, repl.username, repl.password, ['REPLICATION', 'LOGIN']);
  const rewind = rewindCredentials(ctx.options);
  if (rewind.username !== su.username) {
    await createOrAlterRole(ctx.conn, rewind.username, rewind.password, ['LOGIN']);
    await grantRewind(ctx.conn, rewind.username);
  }
  const reserved = new Set([su.username, repl.username, rewind.username]);
  for (const [name, user] of Object.entries(bootstrap.users ?? {})) {
    if (reserved.has(name)) continue;
    await createOrAlterRole(ctx.conn, name, user.password, userOptions(user.options));
  }
  ctx.files.keepAutoConfRecovery = false;
  if (ctx.files.bootstrapTrust) await leaveBootstrapTrust(ctx);
}

/**
 * Passwords are set: back to the original pg_hba (or postgresql.pg_hba). A custom hba_file was
 * overridden on the command line of this start, so only a restart gives it back.
 */
async function leaveBootstrapTrust(ctx: PgContext): Promise<void> {
  await ctx.files.leaveBootstrapTrust();
  await ctx.files.removeRecovery();
  if (hasCustomHbaFile(ctx.options)) {
    await restartPostgres(ctx);
    return;
  }
  await reloadPostgres(ctx, { rewriteFiles: true, blockCallbacks: true });
}
