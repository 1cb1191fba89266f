import { existsSync, statSync } from 'node:fs';
import { copyFile, readFile, rename, unlink, chown, chmod } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { appendixForHba, renderLinesFile, renderPostgresqlConf } from '../core/pg/conf.js';
import { parseListen } from '../core/pg/options.js';
import type { PgParamValue, PostgresOptions } from '../core/pg/options.js';
import { renderPgpass } from '../core/pg/pgpass.js';
import type { PgpassEntry } from '../core/pg/pgpass.js';
import { RECOVERY_PARAMETER_NAMES } from '../core/pg/recovery.js';
import type { Logger } from '../shared/log/logger.js';
import { pathExists, writeFileAtomic } from './files.js';
import { hasCustomHbaFile, hasCustomIdentFile } from './paths.js';
import type { PgPaths } from './paths.js';

const ORIGINAL_SUFFIX = '.patroni-original';

/**
 * The files Patroni owns in config_dir and the data directory (spec/core.md §14.1, §14.4, §14.5).
 * Content comes from the pure renderers in core/pg; this class only decides when and where to
 * write, atomically and owned by the PostgreSQL account.
 */
export class PgConfigFiles {
  /** Recovery parameters currently in effect (null: primary / none). */
  private recovery: Readonly<Record<string, PgParamValue>> | null = null;
  /** Parameters Patroni owns at run time (synchronous_standby_names in sync mode). */
  private readonly overrides = new Map<string, PgParamValue>();
  /**
   * Files whose content we wrote or read back, with their stat then: while the stat is the same
   * the content is too, so an idle cycle neither reads nor rewrites them; a file someone else
   * changed has a new stat and is read and repaired as before.
   */
  private readonly known = new Map<string, KnownFile>();
  /** The stat of postgresql.auto.conf when it last held no recovery parameters. */
  private cleanAutoConf: string | null = null;

  constructor(
    private options: PostgresOptions,
    private paths: PgPaths,
    private readonly logger: Logger,
  ) {}

  /**
   * While a custom bootstrap runs, the superuser password may be unknown (a restored backup), so
   * pg_hba.conf is replaced by trust rules for the superuser and replication user, from the
   * socket and the given addresses, until post_bootstrap has set the passwords (Patroni's way).
   */
  private trustAddresses: readonly string[] | null = null;

  setBootstrapTrust(addresses: readonly string[] | null): void {
    this.trustAddresses = addresses;
  }

  get bootstrapTrust(): boolean {
    return this.trustAddresses !== null;
  }

  /** A new effective configuration (dynamic config changed, SIGHUP). */
  update(options: PostgresOptions, paths: PgPaths): void {
    this.options = options;
    this.paths = paths;
  }

  /** null removes the override (the configured value, if any, applies again). */
  setOverride(name: string, value: PgParamValue | null): void {
    if (value === null) this.overrides.delete(name);
    else this.overrides.set(name, value);
  }

  /** Server parameters: the effective map, minus recovery settings, plus the file layout. */
  serverParameters(): Record<string, PgParamValue> {
    const out: Record<string, PgParamValue> = {};
    for (const [k, v] of Object.entries(this.options.parameters)) {
      if (!RECOVERY_PARAMETER_NAMES.has(k.toLowerCase())) out[k] = v;
    }
    const { hosts, port } = parseListen(this.options.listen);
    out['listen_addresses'] = hosts.join(',');
    out['port'] = port;
    out['cluster_name'] = this.options.scope;
    // Relative paths are Patroni's config_dir-relative ones; PostgreSQL would read them from
    // its working directory (the data directory), so they go out absolute.
    if (typeof out['hba_file'] === 'string') out['hba_file'] = this.paths.hba;
    if (typeof out['ident_file'] === 'string') out['ident_file'] = this.paths.ident;
    for (const [k, v] of this.overrides) out[k] = v;
    if (this.trustAddresses !== null) out['hba_file'] = this.trustHbaPath();
    return out;
  }

  /**
   * The existing postgresql.conf becomes the base (once); then ours replaces it. Returns whether
   * the content changed (so a reload can be skipped when nothing did).
   */
  async writePostgresqlConf(): Promise<boolean> {
    await this.adoptRecoveryFromDisk();
    const custom = this.options.customConf !== undefined && this.options.customConf !== '';
    if (!custom && !existsSync(this.paths.baseConf)) {
      if (existsSync(this.paths.conf)) await rename(this.paths.conf, this.paths.baseConf);
      else await this.write(this.paths.baseConf, '');
    }
    const content = renderPostgresqlConf({
      include: this.paths.baseConfInclude,
      parameters: this.serverParameters(),
      hbaFile: this.paths.hba,
      identFile: this.paths.ident,
      recovery: this.recovery ?? {},
    });
    const changed = await this.writeIfChanged(this.paths.conf, content);
    if (!this.keepAutoConfRecovery) await this.sanitizeAutoConf();
    return changed;
  }

  /** A custom bootstrap with keep_existing_recovery_conf keeps what the restore left there. */
  keepAutoConfRecovery = false;

  /**
   * Recovery settings in postgresql.auto.conf (ALTER SYSTEM) would override ours: Patroni strips
   * them on every write (spec/core.md §14.1).
   */
  private async sanitizeAutoConf(): Promise<void> {
    const before = fileStamp(this.paths.autoConf);
    if (before === null || before === this.cleanAutoConf) return;
    const text = await readFile(this.paths.autoConf, 'utf8').catch(() => null);
    if (text === null) return;
    const kept = text.split('\n').filter((line) => {
      const name = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*=/.exec(line)?.[1];
      return name === undefined || !RECOVERY_PARAMETER_NAMES.has(name.toLowerCase());
    });
    const next = kept.join('\n');
    if (next !== text) {
      this.logger.info(`removed recovery parameters from ${this.paths.autoConf}`);
      await this.write(this.paths.autoConf, next);
    }
    this.cleanAutoConf = fileStamp(this.paths.autoConf);
  }

  /** Where the trust rules go: our pg_hba.conf (its original kept aside and put back after). */
  trustHbaPath(): string {
    return join(this.paths.configDir, 'pg_hba.conf');
  }

  /** Ends the trust period: the original pg_hba.conf comes back (then replaceHba may apply). */
  async leaveBootstrapTrust(): Promise<void> {
    this.trustAddresses = null;
    const path = this.trustHbaPath();
    const original = `${path}${ORIGINAL_SUFFIX}`;
    if (await pathExists(original)) await rename(original, path);
  }

  private trustLines(addresses: readonly string[]): string[] {
    const repl = this.options.authentication.replication.username;
    const su = this.options.authentication.superuser.username;
    const out = [`local\treplication\t${repl}\t\ttrust`, `local\tall\t${su}\t\ttrust`];
    for (const a of addresses) {
      out.push(`host\treplication\t${repl}\t${a}\ttrust`, `host\tall\t${su}\t${a}\ttrust`);
    }
    return out;
  }

  /** `postgresql.pg_hba` → pg_hba.conf, unless the user runs their own hba_file; true if changed. */
  async replaceHba(): Promise<boolean> {
    if (this.trustAddresses !== null) {
      const path = this.trustHbaPath();
      const original = `${path}${ORIGINAL_SUFFIX}`;
      if ((await pathExists(path)) && !(await pathExists(original))) {
        await copyFile(path, original);
        // A root daemon's copy would be root's: a backup run as PostgreSQL's user (pgBackRest)
        // could not read it, and leaving the trust period renames it back as pg_hba.conf.
        await this.own(original);
      }
      return this.writeIfChanged(path, renderLinesFile(this.trustLines(this.trustAddresses)));
    }
    const lines = this.options.pgHba;
    if (hasCustomHbaFile(this.options) || lines === undefined || lines.length === 0) return false;
    return this.writeIfChanged(this.paths.hba, renderLinesFile(lines));
  }

  async replaceIdent(): Promise<boolean> {
    const lines = this.options.pgIdent;
    if (hasCustomIdentFile(this.options) || lines === undefined || lines.length === 0) return false;
    return this.writeIfChanged(this.paths.ident, renderLinesFile(lines));
  }

  /** After initdb: `bootstrap.pg_hba` appended once, when pg_hba is not managed otherwise. */
  async appendBootstrapHba(lines: readonly string[]): Promise<void> {
    if (lines.length === 0 || hasCustomHbaFile(this.options)) return;
    if (this.options.pgHba !== undefined && this.options.pgHba.length > 0) return;
    const current = await readFile(this.paths.hba, 'utf8').catch(() => '');
    await this.write(this.paths.hba, current + appendixForHba(lines));
  }

  /** Replica: standby.signal + the recovery block (+ the passfile for primary_conninfo). */
  async setStandby(
    params: Readonly<Record<string, PgParamValue>>,
    pgpass: PgpassEntry | null,
  ): Promise<void> {
    // A replica's follow() runs every cycle: only a change costs a write.
    if (pgpass !== null) await this.writePgpass([pgpass]);
    this.recovery = params;
    if (existsSync(this.paths.recoverySignal)) {
      await unlink(this.paths.recoverySignal).catch(() => undefined);
    }
    await this.writeIfChanged(this.paths.standbySignal, '');
  }

  /** Targeted recovery (custom bootstrap PITR): recovery.signal instead of standby.signal. */
  async setTargetedRecovery(params: Readonly<Record<string, PgParamValue>>): Promise<void> {
    this.recovery = params;
    await unlink(this.paths.standbySignal).catch(() => undefined);
    await this.write(this.paths.recoverySignal, '');
  }

  /** Primary: no signal files, no recovery block. */
  async removeRecovery(): Promise<void> {
    this.recovery = null;
    for (const f of [
      this.paths.standbySignal,
      this.paths.recoverySignal,
      this.paths.recoveryConf,
    ]) {
      await unlink(f).catch(() => undefined);
    }
  }

  private adopted = false;

  /**
   * A daemon restarted next to a replica does not know its recovery settings yet; rather than
   * write a postgresql.conf without them (a standby without primary_conninfo), it keeps the block
   * it finds in the file until follow() sets new ones.
   */
  private async adoptRecoveryFromDisk(): Promise<void> {
    if (this.adopted || this.recovery !== null) return;
    this.adopted = true;
    const signal =
      (await pathExists(this.paths.standbySignal)) || (await pathExists(this.paths.recoverySignal));
    if (!signal) return;
    const text = await readFile(this.paths.conf, 'utf8').catch(() => '');
    const block = parseRecoveryBlock(text);
    if (Object.keys(block).length > 0) this.recovery = block;
  }

  /**
   * After a promote: PostgreSQL removes standby.signal itself (removing it under its feet makes
   * the startup process fail), so only our recovery block is dropped, at the next conf write.
   */
  forgetRecovery(): void {
    this.recovery = null;
  }

  currentRecovery(): Readonly<Record<string, PgParamValue>> | null {
    return this.recovery;
  }

  /** pgpass is always 0600 and never logged. */
  async writePgpass(entries: readonly PgpassEntry[]): Promise<string> {
    const path = this.paths.pgpass;
    const content = renderPgpass(entries);
    // Rewritten whenever touched (not only when its content differs): its mode matters too.
    if (this.knownUnchanged(path, content)) return path;
    await this.write(path, content);
    this.remember(path, content);
    return path;
  }

  /** Patroni's `<file>.backup` copies in the data dir, restored when a clone lacks them. */
  async saveBackups(): Promise<void> {
    for (const file of this.managedFiles()) {
      if (!(await pathExists(file))) continue;
      const backup = join(this.paths.dataDir, `${basename(file)}.backup`);
      await copyFile(file, backup);
      await this.own(backup);
    }
  }

  async restoreBackups(): Promise<void> {
    for (const file of this.managedFiles()) {
      if (await pathExists(file)) continue;
      const backup = join(this.paths.dataDir, `${basename(file)}.backup`);
      if (await pathExists(backup)) {
        await copyFile(backup, file);
        await this.own(file);
        this.logger.info(`restored ${file} from its backup copy`);
      } else if (file === this.paths.ident) {
        await this.write(file, '');
      }
    }
  }

  private managedFiles(): string[] {
    const files = [this.paths.conf];
    if (this.options.customConf === undefined || this.options.customConf === '') {
      files.push(this.paths.baseConf);
    }
    if (!hasCustomHbaFile(this.options)) files.push(this.paths.hba);
    if (!hasCustomIdentFile(this.options)) files.push(this.paths.ident);
    return files;
  }

  private async own(file: string): Promise<void> {
    await chmod(file, 0o600);
    const owner = this.options.owner;
    if (owner !== null && owner !== undefined) await chown(file, owner.uid, owner.gid);
  }

  private async writeIfChanged(path: string, content: string): Promise<boolean> {
    if (this.knownUnchanged(path, content)) return false;
    const current = await readFile(path, 'utf8').catch(() => null);
    const changed = current !== content;
    if (changed) await this.write(path, content);
    this.remember(path, content);
    return changed;
  }

  private knownUnchanged(path: string, content: string): boolean {
    const known = this.known.get(path);
    return known?.content === content && known.stamp === fileStamp(path);
  }

  private remember(path: string, content: string): void {
    const stamp = fileStamp(path);
    if (stamp === null) this.known.delete(path);
    else this.known.set(path, { content, stamp });
  }

  private write(path: string, content: string): Promise<void> {
    this.known.delete(path);
    return writeFileAtomic(path, content, { mode: 0o600, owner: this.options.owner });
  }
}

interface KnownFile {
  readonly content: string;
  readonly stamp: string;
}

/**
 * Inode, size, mtime and ctime (ns): any write, rename over, chmod or chown changes one of them.
 * A synchronous stat is one system call; an async one is a thread-pool round trip.
 */
function fileStamp(path: string): string | null {
  const s = statSync(path, { bigint: true, throwIfNoEntry: false });
  return s === undefined ? null : `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}

/** The `name = 'value'` lines after `# recovery.conf` in a postgresql.conf we wrote. */
export function parseRecoveryBlock(text: string): Record<string, PgParamValue> {
  const out: Record<string, PgParamValue> = {};
  const start = text.indexOf('\n# recovery.conf\n');
  if (start < 0) return out;
  for (const line of text.slice(start).split('\n')) {
    const m = /^([a-z_]+) = '((?:[^']|'')*)'$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) {
      out[m[1]] = m[2].replace(/''/g, "'").replace(/\\\\/g, '\\');
    }
  }
  return out;
}
