import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { configBaseNameOf, configDirOf } from '../core/pg/options.js';
import type { PostgresOptions } from '../core/pg/options.js';

/** Every file this layer reads or writes, resolved once from the options. */
export interface PgPaths {
  readonly dataDir: string;
  readonly configDir: string;
  readonly conf: string;
  /** Included base: `<base>.base.conf` in config_dir, or custom_conf. */
  readonly baseConf: string;
  readonly baseConfInclude: string;
  readonly hba: string;
  readonly ident: string;
  readonly autoConf: string;
  readonly standbySignal: string;
  readonly recoverySignal: string;
  readonly recoveryConf: string;
  readonly pgVersion: string;
  readonly pgpass: string;
  /** Where the postmaster's stderr goes until its own logging takes over. */
  readonly postmasterLog: string;
  readonly walDir: string;
}

export function resolvePaths(o: PostgresOptions): PgPaths {
  const dataDir = resolve(o.dataDir);
  const configDir = resolve(configDirOf(o));
  const base = configBaseNameOf(o);
  const custom = o.customConf !== undefined && o.customConf !== '' ? o.customConf : null;
  const pgpass = o.pgpass !== '' ? resolve(o.pgpass) : join(o.owner?.home ?? homedir(), 'pgpass');
  return {
    dataDir,
    configDir,
    conf: join(configDir, `${base}.conf`),
    baseConf: custom === null ? join(configDir, `${base}.base.conf`) : resolve(configDir, custom),
    baseConfInclude: custom ?? `${base}.base.conf`,
    hba: hbaPath(o, configDir),
    ident: join(configDir, 'pg_ident.conf'),
    autoConf: join(dataDir, 'postgresql.auto.conf'),
    standbySignal: join(dataDir, 'standby.signal'),
    recoverySignal: join(dataDir, 'recovery.signal'),
    recoveryConf: join(dataDir, 'recovery.conf'),
    pgVersion: join(dataDir, 'PG_VERSION'),
    pgpass,
    postmasterLog: join(dataDir, 'postmaster.log'),
    walDir: join(dataDir, 'pg_wal'),
  };
}

function hbaPath(o: PostgresOptions, configDir: string): string {
  const custom = o.parameters['hba_file'];
  if (typeof custom === 'string' && custom !== '') {
    return isAbsolute(custom) ? custom : join(configDir, custom);
  }
  return join(configDir, 'pg_hba.conf');
}

/** True when the user points hba_file at their own file: then pg_hba is theirs to manage. */
export function hasCustomHbaFile(o: PostgresOptions): boolean {
  const v = o.parameters['hba_file'];
  return typeof v === 'string' && v !== '';
}

export function hasCustomIdentFile(o: PostgresOptions): boolean {
  const v = o.parameters['ident_file'];
  return typeof v === 'string' && v !== '';
}
