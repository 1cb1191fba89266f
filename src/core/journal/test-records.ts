import { reason, sentence, type Reason } from '../ha/reason.js';
import type { DecisionInputs, DecisionRecord } from './entry.js';

/** A replica's inputs, for journal tests; override what the test is about. */
export function inputs(over: Partial<DecisionInputs> = {}): DecisionInputs {
  return {
    dcsReachable: true,
    lockOwner: 'node1',
    previousLockOwner: 'node1',
    leaseLeftMs: null,
    role: 'replica',
    pgState: 'running',
    timeline: 1,
    clusterTimeline: 1,
    lsn: 100,
    leaderLsn: 100,
    lagBytes: 0,
    bestPeer: null,
    failover: null,
    paused: false,
    sync: { synchronousMode: false, leader: null, standbys: [] },
    inFlight: null,
    ...over,
  };
}

/** A decision record with the given reason (a healthy replica by default). */
export function record(
  why: Reason = reason('healthyReplica', { me: 'node2', leader: 'node1' }),
  over: Partial<DecisionRecord> = {},
): DecisionRecord {
  return {
    member: 'node2',
    reason: why,
    sentence: sentence(why),
    inputs: inputs(),
    race: null,
    log: ['Lock owner: node1; I am node2'],
    actions: ['touchMember'],
    ...over,
  };
}
