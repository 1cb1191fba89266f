import { describe } from 'node:test';
import type { HarnessFactory } from './harness.js';
import { keysContract } from './suite-keys.js';
import { leaderLockContract } from './suite-lock.js';
import { watchContract } from './suite-watch.js';

export type { ContractHarness, HarnessFactory, ClientTiming } from './harness.js';
export { eventually } from './harness.js';
export { FAST, uniqueScope } from './suite-lock.js';

export interface ContractOptions {
  /** How many lock races to run (50 proves the lock against real etcd). */
  readonly races?: number;
}

/**
 * The one contract every DCS adapter must pass, the in-memory one included: a fake earns
 * trust only by passing the same tests as etcd.
 */
export function runDcsContract(
  label: string,
  make: HarnessFactory,
  options: ContractOptions = {},
): void {
  void describe(`DCS contract: ${label}`, () => {
    leaderLockContract(make, options.races ?? 50);
    watchContract(make);
    keysContract(make);
  });
}
