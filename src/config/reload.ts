/**
 * SIGHUP / `POST /reload`: re-read the local configuration from the same source and say whether
 * anything changed (Patroni logs `No local configuration items changed.` otherwise). A broken
 * file on reload must not stop a running node: the caller keeps the old config and logs the error.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ConfigSource, LoadedConfig } from './load.js';
import type { PatroniConfig } from './schema.js';

export const NO_LOCAL_CHANGES = 'No local configuration items changed.';

export interface ReloadResult extends LoadedConfig {
  readonly changed: boolean;
}

export async function reloadLocalConfig(
  source: ConfigSource,
  current: PatroniConfig,
): Promise<ReloadResult> {
  const loaded = await source.load();
  return { ...loaded, changed: !isDeepStrictEqual(loaded.config, current) };
}
