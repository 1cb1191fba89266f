import { join } from 'node:path';

/** Which daemon a cluster runs: ours (built JS from a checkout) or Debian's Patroni 3.0.2. */
export type SystemName = 'patroni-ts' | 'patroni';

export interface System {
  readonly name: SystemName;
  readonly label: string;
  /** argv of the daemon, before the patroni.yml path (the cluster harness's node command). */
  readonly command: readonly string[];
  /** argv of patronictl for one patroni.yml and its arguments. */
  ctl(configPath: string, args: readonly string[]): readonly string[];
}

export const PATRONI_BIN = process.env['BENCH_PATRONI'] ?? '/usr/bin/patroni';
export const PATRONICTL_BIN = process.env['BENCH_PATRONICTL'] ?? '/usr/bin/patronictl';

export function patroniTs(repo: string): System {
  return {
    name: 'patroni-ts',
    label: 'patroni-ts',
    // The launcher operators run, with its node flags (it execs node: the pid stays the same).
    command: [join(repo, 'bin', 'patroni')],
    ctl: (config, args) => [
      process.execPath,
      join(repo, 'dist', 'cli', 'patronictl.js'),
      '-c',
      config,
      ...args,
    ],
  };
}

export function debianPatroni(): System {
  return {
    name: 'patroni',
    label: 'Patroni 3.0.2',
    command: [PATRONI_BIN],
    ctl: (config, args) => [PATRONICTL_BIN, '-c', config, ...args],
  };
}
