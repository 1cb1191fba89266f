import type { Decision } from '../core/ha/decision.js';

/**
 * The label a decision is counted under in `patroni_ts_ha_decisions_total{kind}`: its typed
 * reason's kind (`healthyLeader`, `promotedAcquired`, `manualFailoverDemoting`, ...; the list is
 * `REASON_KINDS` in core/ha/reason.ts), the same kind the decision journal shows. The one place
 * that maps a decision to a label.
 */
export function decisionKind(decision: Pick<Decision, 'reason'>): string {
  return decision.reason.kind;
}
