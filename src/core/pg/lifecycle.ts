import type { PgStateName } from '../model/member.js';

/**
 * The PostgreSQL lifecycle as Patroni names its states (spec/core.md §14.8), with the transitions
 * this layer may make. A transition outside this table is a bug in the caller: refusing it keeps a
 * stale async action from, say, marking a freshly promoted primary `stopped`.
 */
export type PgLifecycleState =
  Exclude<PgStateName, `restart failed (${string})`> | 'restart failed';

const ALLOWED: Readonly<Record<PgLifecycleState, readonly PgLifecycleState[]>> = {
  unknown: ['stopped', 'running', 'starting', 'crashed'],
  stopped: [
    'starting',
    'running',
    'stopping',
    'initializing new cluster',
    'running custom bootstrap script',
    'creating replica',
    'crashed',
    'restarting',
  ],
  starting: ['running', 'start failed', 'stopping', 'stopped', 'crashed', 'starting'],
  running: ['stopping', 'restarting', 'crashed', 'stopped', 'starting'],
  stopping: ['stopped', 'stop failed'],
  'stop failed': ['stopping', 'stopped', 'running', 'crashed'],
  restarting: ['stopping', 'stopped', 'starting', 'running', 'restart failed'],
  'restart failed': ['stopping', 'starting', 'running', 'restarting', 'stopped', 'crashed'],
  'start failed': [
    'starting',
    'stopping',
    'stopped',
    'running',
    'creating replica',
    'crashed',
    'restarting',
  ],
  // POST /restart of a postmaster that is down (paused: nothing else starts it) goes through
  // restarting, from stopped, start failed and crashed too, as Patroni's restart() sets it.
  crashed: ['starting', 'stopping', 'stopped', 'running', 'creating replica', 'restarting'],
  'initializing new cluster': ['stopped', 'starting', 'initdb failed'],
  'initdb failed': ['stopped', 'initializing new cluster', 'running custom bootstrap script'],
  'running custom bootstrap script': ['stopped', 'starting', 'custom bootstrap failed'],
  'custom bootstrap failed': [
    'stopped',
    'initializing new cluster',
    'running custom bootstrap script',
  ],
  'creating replica': ['stopped', 'starting'],
};

export function canTransition(from: PgLifecycleState, to: PgLifecycleState): boolean {
  return from === to || ALLOWED[from].includes(to);
}

/** The state name published in the member key and REST status. */
export function publishedState(state: PgLifecycleState, restartFailedFrom: string): PgStateName {
  return state === 'restart failed' ? `restart failed (${restartFailedFrom})` : state;
}
