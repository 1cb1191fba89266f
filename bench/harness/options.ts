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
