import { parseRestApiOptions } from '../api/options.js';
import { RestApiServer, apiUrl } from '../api/server.js';
import { saveDynamicCache } from '../config/dynamic-cache.js';
import type { ConfigSource } from '../config/load.js';
import type { PatroniConfig } from '../config/schema.js';
import { postgresOptions, type PostgresOptionsExtras } from '../config/to-options.js';
import type { OsIdentity } from '../core/pg/options.js';
import type { Dcs } from '../dcs/index.js';
import type { Postgresql } from '../postgres/postgresql.js';
import { errorMessage } from '../shared/errors.js';
import type { Logger } from '../shared/log/logger.js';
import { effectiveFrom } from './dynamic-config.js';
import type { NodeRuntime } from './runtime.js';
import { selfIdentity } from './wiring/identity.js';
import { homedir } from 'node:os';
import { watchdogSettings, type WatchdogSettings } from '../watchdog/index.js';

/** `~/pgpass` defaults to the home of the account PostgreSQL runs as. */
export function pgExtras(owner: OsIdentity | null): PostgresOptionsExtras {
  return { owner, homeDir: owner?.home ?? homedir() };
}

export interface ConfigApplierDeps {
  readonly source: ConfigSource;
  readonly dcs: Dcs;
  readonly pg: Postgresql;
  readonly runtime: NodeRuntime;
  readonly logger: Logger;
  readonly server: RestApiServer;
  readonly watchdog?:
    { reload(settings: WatchdogSettings, retryFailed?: boolean): void } | undefined;
}

/**
 * Keeps the running node in step with its configuration: the DCS `config` key after each cycle
 * (edit-config, PATCH /config) and patroni.yml on SIGHUP. A bad file never takes a node down.
 */
export class ConfigApplier {
  /** The dynamic configuration last written to patroni.dynamic.json, as JSON text. */
  private savedDynamic = '';

  constructor(
    private config: PatroniConfig,
    private readonly d: ConfigApplierDeps,
  ) {}

  get current(): PatroniConfig {
    return this.config;
  }

  async afterCycle(): Promise<void> {
    await this.applyDynamicConfig();
    await this.saveDynamicCache();
  }

  /**
   * A changed DCS `config` key (edit-config, PATCH /config) changes our timing, settings and
   * PostgreSQL parameters: rewrite the files and reload, as Patroni does after each cycle.
   */
  private async applyDynamicConfig(): Promise<void> {
    const { runtime } = this.d;
    const cfg = runtime.cluster?.config;
    if (cfg == null || cfg.index === 0 || cfg.data === runtime.dynamicConfig) return;
    if (JSON.stringify(cfg.data) === JSON.stringify(runtime.dynamicConfig)) return;
    runtime.dynamicConfig = cfg.data;
    await this.applyEffective();
  }

  /** Patroni keeps a copy in the data directory after each cycle once it has one (§1.4). */
  private async saveDynamicCache(): Promise<void> {
    const { pg, runtime } = this.d;
    const text = JSON.stringify(runtime.dynamicConfig);
    if (text === this.savedDynamic || runtime.memory.role === 'uninitialized') return;
    if (runtime.pg.dataDirEmpty) return;
    try {
      await saveDynamicCache(pg.options.dataDir, runtime.dynamicConfig, pg.options.owner ?? null);
      this.savedDynamic = text;
    } catch (err) {
      this.d.logger.warning(errorMessage(err));
    }
  }

  /**
   * Recompute the effective configuration and hand it to the DCS client, the watchdog and
   * PostgreSQL. `sighup`: the local file was re-read (a failed watchdog device is tried again).
   */
  private async applyEffective(sighup = false): Promise<void> {
    const { dcs, pg, runtime } = this.d;
    runtime.effective = effectiveFrom(this.config, runtime.dynamicConfig, this.d.logger);
    dcs.setTiming(runtime.effective.ha);
    // A new ttl reaches an armed device with its next keepalive (after the next lock refresh).
    const watchdog = watchdogSettings(this.config.watchdog, runtime.effective.ha);
    this.d.watchdog?.reload(watchdog, sighup);
    const owner = pg.options.owner ?? null;
    await pg.updateOptions(postgresOptions(this.config, runtime.effective, pgExtras(owner)));
    if (runtime.pg.postmasterRunning) {
      await pg.reloadConfig().catch((err: unknown) => {
        this.d.logger.warning(`reloading PostgreSQL failed: ${errorMessage(err)}`);
      });
    }
  }

  async reload(): Promise<void> {
    const { runtime } = this.d;
    try {
      const loaded = await this.d.source.load();
      this.config = loaded.config;
      for (const w of loaded.warnings) this.d.logger.warning(w);
      this.d.logger.info('Reloading configuration');
      await this.applyEffective(true);
      const restOptions = parseRestApiOptions(this.config.restapi);
      runtime.self = selfIdentity(this.config, apiUrl(restOptions));
      await this.d.server.reload(restOptions);
    } catch (err) {
      // A bad file never takes down a running node: keep the old configuration.
      this.d.logger.error(
        `Configuration reload failed, keeping the running one: ${errorMessage(err)}`,
      );
    }
  }
}
