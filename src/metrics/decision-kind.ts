import type { Action, Decision } from '../core/ha/decision.js';

/**
 * The label a decision is counted under in `patroni_ts_ha_decisions_total{kind}`. Today it is
 * the decision's main action (its type, snake_case), or `no_action` when the cycle only kept
 * things as they are (published its member key, fed the watchdog). This is the one place that
 * maps a decision to a label: once reasons are typed, point it at the reason's kind instead.
 */
export function decisionKind(decision: Pick<Decision, 'actions'>): string {
  for (const type of MAIN_ACTIONS) {
    if (decision.actions.some((a) => a.type === type)) return snake(type);
  }
  const other = decision.actions.find((a) => !ROUTINE.has(a.type));
  return other === undefined ? 'no_action' : snake(other.type);
}

/** Most telling first: a cycle that promotes also writes history, and is counted as a promote. */
const MAIN_ACTIONS: readonly Action['type'][] = [
  'promote',
  'demote',
  'releaseLeaderLock',
  'takeLeader',
  'bootstrapNewCluster',
  'cloneFrom',
  'reinitialize',
  'rewind',
  'crashRecovery',
  'followLeader',
  'restartPostgres',
  'stopPostgres',
  'clearFailoverKey',
  'setSynchronousStandbyNames',
];

/** Done by every cycle that changes nothing. */
const ROUTINE: ReadonlySet<Action['type']> = new Set(['touchMember', 'watchdogKeepalive']);

function snake(type: string): string {
  return type.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
