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
    hba: layoutFile(o, 'hba_file', configDir, 'pg_hba.conf'),
    ident: layoutFile(o, 'ident_file', configDir, 'pg_ident.conf'),
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

/**
 * `hba_file` / `ident_file` from the parameters, a relative path taken from config_dir (as Patroni
 * does, so a fork's `qhb_hba.conf` works wherever config_dir is), else Patroni's own file.
 */
function layoutFile(
  o: PostgresOptions,
  name: 'hba_file' | 'ident_file',
  configDir: string,
  fallback: string,
): string {
  const custom = o.parameters[name];
  if (typeof custom === 'string' && custom !== '') {
    return isAbsolute(custom) ? custom : join(configDir, custom);
  }
  return join(configDir, fallback);
}

/**
 * True when the user points hba_file at their own file: then pg_hba is theirs to manage. Naming
 * Patroni's own `<config_dir>/pg_hba.conf` does not count (Patroni's `hba_file` property).
 */
export function hasCustomHbaFile(o: PostgresOptions): boolean {
  return isCustom(o, 'hba_file', 'pg_hba.conf');
}

export function hasCustomIdentFile(o: PostgresOptions): boolean {
  return isCustom(o, 'ident_file', 'pg_ident.conf');
}

function isCustom(o: PostgresOptions, name: 'hba_file' | 'ident_file', own: string): boolean {
  const v = o.parameters[name];
  if (typeof v !== 'string' || v === '') return false;
  const configDir = resolve(configDirOf(o));
  return layoutFile(o, name, configDir, own) !== join(configDir, own);
}
