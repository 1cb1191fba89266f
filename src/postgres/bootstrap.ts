import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentialKwargs, localAddress } from '../core/pg/conn-kwargs.js';
import { formatConninfo } from '../core/pg/conninfo.js';
import { customBootstrapArgs, initdbArgs } from '../core/pg/program-args.js';
import type { BootstrapOptions } from '../core/pg/options.js';
import { bootstrapRecoveryParams } from '../core/pg/recovery.js';
import { describeExit } from '../process/runner.js';
import { PatroniError, errorMessage } from '../shared/errors.js';
import { programEnv, programSpec, scriptSpec } from './context.js';
import type { PgContext } from './context.js';
import { ensureDirectory, isDirectoryEmpty, writeFileAtomic } from './files.js';

/** Refuses to initialise over anything: a non-empty data dir is the operator's, not ours. */
async function assertEmptyDataDir(ctx: PgContext): Promise<void> {
  if (!(await isDirectoryEmpty(ctx.paths.dataDir))) {
    throw new PatroniError(
      'PG_DATA_DIR',
      `data directory ${ctx.paths.dataDir} (postgresql.data_dir) is not empty; refusing to initialize a new cluster there`,
    );
  }
}

/**
 * `initdb` with `bootstrap.initdb` options, the superuser name and a password file (spec/core.md
 * §10.2). State `initializing new cluster`, then `stopped` or `initdb failed`.
 */
export async function runInitdb(ctx: PgContext, bootstrap: BootstrapOptions): Promise<void> {
  const parsed = initdbArgs(bootstrap.initdb);
  if (!parsed.ok) throw new PatroniError('CONFIG_INVALID', `bootstrap.initdb: ${parsed.error}`);
  await ctx.bins.validate(['initdb']);
  await assertEmptyDataDir(ctx);
  ctx.lifecycle.transition('initializing new cluster');
  const su = ctx.options.authentication.superuser;
  const args = ['-D', ctx.paths.dataDir, ...parsed.args, `--username=${su.username}`];
  let pwfile: string | null = null;
  try {
    await ensureDirectory(ctx.paths.dataDir, ctx.options.owner);
    if (su.password !== undefined && su.password !== '') {
      pwfile = join(tmpdir(), `patroni-pwfile-${randomBytes(6).toString('hex')}`);
      await writeFileAtomic(pwfile, `${su.password}\n`, { mode: 0o600, owner: ctx.options.owner });
      args.push(`--pwfile=${pwfile}`);
    }
    const result = await ctx.runner.run(programSpec(ctx, ctx.bins.path('initdb'), args));
    if (result.exitCode !== 0) {
      throw new PatroniError(
        'PROCESS_FAILED',
        `initdb ${describeExit(result)}: ${result.stderr.trim()}`,
      );
    }
  } catch (err) {
    ctx.lifecycle.transition('initdb failed');
    throw err;
  } finally {
    if (pwfile !== null) await rm(pwfile, { force: true });
  }
  ctx.lifecycle.transition('stopped');
}

/**
 * A custom bootstrap method: `<command> --scope=<scope> --datadir=<data_dir>` (unless
 * `no_params`), then its `recovery_conf` (PITR) or, unless `keep_existing_recovery_conf`, no
 * recovery configuration at all.
 */
export async function runCustomBootstrap(
  ctx: PgContext,
  name: string,
  bootstrap: BootstrapOptions,
): Promise<void> {
  const method = bootstrap.methods?.[name];
  if (method === undefined) {
    throw new PatroniError(
      'CONFIG_INVALID',
      `bootstrap.${name}: the section or its command is missing`,
    );
  }
  const parsed = customBootstrapArgs(
    method.command,
    method.noParams === true,
    ctx.options.scope,
    ctx.paths.dataDir,
  );
  if (!parsed.ok)
    throw new PatroniError('CONFIG_INVALID', `bootstrap.${name}.command: ${parsed.error}`);
  await assertEmptyDataDir(ctx);
  ctx.files.setBootstrapTrust(await trustAddresses(ctx));
  ctx.lifecycle.transition('running custom bootstrap script');
  try {
    // Not created for it: a restore that copies a backup into place must find no directory.
    const [command, ...args] = parsed.args as [string, ...string[]];
    const result = await ctx.runner.run(scriptSpec(ctx, command, args));
    if (result.exitCode !== 0) {
      throw new PatroniError('PROCESS_FAILED', `custom bootstrap script ${describeExit(result)}`);
    }
    // A script that "succeeded" without a directory still gets one for the config files.
    await ensureDirectory(ctx.paths.dataDir, ctx.options.owner);
    await ctx.files.restoreBackups();
    ctx.files.keepAutoConfRecovery = method.keepExistingRecoveryConf === true;
    if (method.recoveryConf !== undefined) {
      await ctx.files.setTargetedRecovery(bootstrapRecoveryParams(method.recoveryConf));
    } else if (method.keepExistingRecoveryConf !== true) {
      await ctx.files.removeRecovery();
    }
  } catch (err) {
    ctx.files.setBootstrapTrust(null);
    ctx.lifecycle.transition('custom bootstrap failed');
    throw err;
  }
  ctx.lifecycle.transition('stopped');
}

/**
 * Patroni's trust window for a custom bootstrap: the socket always (pg_hba `local` lines), and
 * the addresses the local replication host resolves to, unless `use_unix_socket_repl` puts
 * that on the socket too. (Patroni writes `/32` after an IPv6 address as well; `/128` here.)
 */
async function trustAddresses(ctx: PgContext): Promise<string[]> {
  const { host } = localAddress(ctx.options, true);
  if (host === null || host.startsWith('/')) return [];
  try {
    const found = await lookup(host, { all: true });
    return [...new Set(found.map((a) => `${a.address}/${a.family === 6 ? 128 : 32}`))];
  } catch (err) {
    ctx.logger.warning(
      `can not resolve ${host} for the bootstrap trust rules: ${errorMessage(err)}`,
    );
    return [];
  }
}

/** `bootstrap.method` other than initdb with a command → custom; otherwise initdb. */
export async function createNewCluster(ctx: PgContext, bootstrap: BootstrapOptions): Promise<void> {
  const method = bootstrap.method ?? 'initdb';
  if (method !== 'initdb' && bootstrap.methods?.[method] !== undefined) {
    await runCustomBootstrap(ctx, method, bootstrap);
  } else {
    await runInitdb(ctx, bootstrap);
    await ctx.files.appendBootstrapHba(bootstrap.pgHba ?? []);
  }
}

/**
 * The post_bootstrap / post_init script: argv = command + a libpq dsn of the local superuser
 * (no password: it is in PGPASSFILE), with synchronous_commit=local.
 */
export async function runPostBootstrapScript(
  ctx: PgContext,
  command: string,
  argv: readonly string[],
): Promise<void> {
  const su = ctx.options.authentication.superuser;
  const address = localAddress(ctx.options);
  // Patroni's format_dsn(local_connect_kwargs, include_dbname): the superuser's ssl settings too.
  const dsn = formatConninfo(
    {
      ...credentialKwargs(su),
      dbname: ctx.options.database ?? 'postgres',
      ...(address.host === null ? {} : { host: address.host }),
      port: address.port,
    },
    true,
  );
  // libpq matches a socket directory literally in pgpass; "localhost" covers its default one.
  const passfile = await ctx.files.writePgpass(
    su.password === undefined
      ? []
      : [
          {
            host: address.host ?? 'localhost',
            port: address.port,
            user: su.username,
            password: su.password,
          },
        ],
  );
  const [program, ...args] = argv as [string, ...string[]];
  const result = await ctx.runner.run({
    ...scriptSpec(ctx, program, [...args, dsn]),
    env: programEnv(ctx, {
      PGPASSFILE: passfile,
      PGOPTIONS: '-c synchronous_commit=local -c statement_timeout=0',
    }),
  });
  if (result.exitCode !== 0) {
    throw new PatroniError(
      'PROCESS_FAILED',
      `post_bootstrap script ${command} ${describeExit(result)}`,
    );
  }
}
