import { existsSync } from 'node:fs';
import { PROFILES, type Profile } from './profile.js';
import { debianPatroni, PATRONI_BIN, patroniTs, type System } from './system.js';

/** `--profiles a,b`: the named profiles, in that order. */
export function parseProfiles(list: string): Profile[] {
  return list.split(',').map((name) => {
    const p = PROFILES[name];
    if (p === undefined)
      throw new Error(`--profiles: unknown profile ${name} (${Object.keys(PROFILES).join(', ')})`);
    return p;
  });
}

/**
 * `--systems patroni-ts,patroni`: ours from the checkout at `repo`, and Debian's Patroni 3.0.2
 * where it is installed (else `log` says so and the run goes on with ours alone).
 */
export function parseSystems(list: string, repo: string, log: (m: string) => void): System[] {
  return list.split(',').flatMap((name): System[] => {
    if (name === 'patroni-ts') return [patroniTs(repo)];
    if (name !== 'patroni') throw new Error(`--systems: unknown system ${name}`);
    if (existsSync(PATRONI_BIN)) return [debianPatroni()];
    log(`${PATRONI_BIN} not installed (make bench-deps): patroni-ts only`);
    return [];
  });
}

/** How commits are acknowledged: `synchronous_mode` false or true in bootstrap.dcs. */
export type ReplicationMode = 'async' | 'sync';
export const MODES: readonly ReplicationMode[] = ['async', 'sync'];

/** The scenarios after the bootstrap (which every run times: it is how the cluster starts). */
export type Scenario = 'idle' | 'rest' | 'switchover' | 'failover';
export const SCENARIOS: readonly Scenario[] = ['idle', 'rest', 'switchover', 'failover'];

/** `a,b` of `allowed`, each once, in the order given; an unknown or repeated name throws. */
function listOf<T extends string>(text: string, allowed: readonly T[], option: string): T[] {
  const items = text
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
  if (items.length === 0)
    throw new Error(`${option}: empty (one or more of ${allowed.join(', ')})`);
  for (const [i, item] of items.entries()) {
    if (!(allowed as readonly string[]).includes(item)) {
      throw new Error(`${option}: unknown '${item}' (one or more of ${allowed.join(', ')})`);
    }
    if (items.indexOf(item) !== i) throw new Error(`${option}: '${item}' given twice`);
  }
  return items as T[];
}

/** `--modes async,sync` (as `make chaos`'s): one table per profile and mode. */
export function parseModes(list: string): ReplicationMode[] {
  return listOf(list, MODES, '--modes');
}

/**
 * `--scenarios failover`: only these scenarios, run in their fixed order whatever the order
 * given (the switchover moves the leader the failover then kills).
 */
export function parseScenarios(list: string): ReadonlySet<Scenario> {
  return new Set(listOf(list, SCENARIOS, '--scenarios'));
}

export function describeMode(mode: ReplicationMode): string {
  return mode === 'sync' ? 'synchronous_mode: true' : 'asynchronous';
}
