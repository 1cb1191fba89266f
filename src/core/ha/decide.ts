import { Cycle, NeedAnswer, Plan } from './context.js';
import { taskOf, type Decision } from './decision.js';
import { PAUSE_PREFIX, TASK } from './info.js';
import { reason, sentence, type Reason } from './reason.js';
import type { HaInput } from './input.js';
import { publication } from './publish.js';
import { checkSystemId, emptyDataDir, postBootstrap, sysidValid } from './steps/bootstrap.js';
import {
  afterRecovery,
  handleStartingInstance,
  postgresNotRunning,
} from './steps/crash-recovery.js';
import { dcsUnreachable } from './steps/dcs-unreachable.js';
import { withFailsafeLeader } from './steps/failsafe.js';
import { triggerRewindCheck } from './steps/demote.js';
import { processHealthyCluster } from './steps/holding-lock.js';
import { longActionInProgress } from './steps/in-flight.js';
import { known, processUnhealthyCluster } from './steps/leader-race.js';
import { evaluateScheduledRestart } from './steps/restart.js';

/**
 * One HA cycle (Patroni's `Ha.run_cycle`, spec/core.md §5.1) as a pure function: the sentence to
 * log, the actions to carry out, and the memory for the next cycle. When it needs a peer's status
 * or the outcome of a lock attempt it returns a `query` instead; the shell answers it and calls
 * again with the same input plus the answers.
 */
export function decide(input: HaInput): Decision {
  try {
    if (!input.dcs.reachable) return finish(new Plan(input), dcsUnreachable, false);
    const cycle = new Cycle(input, withFailsafeLeader(input, input.dcs.cluster));
    return finish(cycle, () => runCycle(cycle), true);
  } catch (err) {
    if (err instanceof NeedAnswer) {
      const waiting = reason('waitingForAnswer', { query: err.query.kind });
      return {
        reason: waiting,
        info: sentence(waiting),
        paused: false,
        race: null,
        actions: [],
        query: err.query,
        memory: input.memory,
        log: [],
      };
    }
    const why = err instanceof Error ? err.message : String(err);
    const bug = reason('unexpectedError');
    return {
      reason: bug,
      info: sentence(bug),
      paused: false,
      race: null,
      actions: [],
      memory: input.memory,
      log: [{ level: 'error', message: `Unexpected exception: ${why}` }],
    };
  }
}

function finish<P extends Plan>(plan: P, step: (p: P) => Reason, touch: boolean): Decision {
  absorbFinished(plan);
  const why = step(plan);
  const info = sentence(why);
  const paused = plan instanceof Cycle ? plan.paused : plan.memory.wasPaused;
  if (plan instanceof Cycle) plan.memory.wasPaused = plan.paused;
  if (touch) plan.add({ type: 'touchMember', member: publication(plan, paused) });
  return {
    reason: why,
    info: paused ? PAUSE_PREFIX + info : info,
    paused,
    race: plan.raceReport,
    actions: plan.actions,
    memory: plan.memory,
    log: plan.log,
  };
}

/** What the async action that just ended tells the memory (Patroni keeps this on its objects). */
function absorbFinished(p: Plan): void {
  const done = p.input.finished;
  const pg = p.input.pg;
  if (pg.state === 'starting') p.memory.startingSince ??= p.now;
  else p.memory.startingSince = null;
  if (pg.state === 'running') p.memory.startTimeout = null;
  if (done === null) return;
  if (done.action === TASK.promote && done.ok) p.memory.role = 'promoted';
  if (done.action === p.memory.rewindTask) {
    p.memory.rewind = done.ok ? 'success' : 'failed';
    p.memory.rewindTask = null;
  }
}

/** Rows 1-14 of §5.1, in order. */
function runCycle(c: Cycle): Reason {
  const cluster = c.cluster;
  // Nobody fails over a paused cluster, so nothing may reset the node for missing pings.
  if (c.paused) c.disableWatchdog();
  if (cluster.leader !== null) c.memory.lastLedMembers = known(cluster.members);
  if (!c.hasLock) c.clearLeader();
  c.memory.failsafeActiveSince = null;
  c.memory.failsafeTopology = cluster.failsafe;
  const sysid = c.input.pg.systemIdentifier ?? '';
  if (c.hasLock && !sysidValid(cluster.initialize) && sysidValid(sysid)) {
    c.add({
      type: 'setInitialize',
      sysid,
      createNew: cluster.initialize === null,
    });
  }
  if (c.hasLock && (cluster.config === null || cluster.config.index === 0)) {
    c.add({ type: 'writeDynamicConfig' });
  }
  if (c.input.inFlight !== null) return longActionInProgress(c);
  if (c.input.pg.state === 'starting' && !c.paused) {
    const msg = handleStartingInstance(c);
    if (msg !== null) return msg;
  }
  if (c.memory.bootstrapping) return postBootstrap(c);
  if (c.memory.recovering) {
    const msg = afterRecovery(c);
    if (msg !== null) return msg;
  }
  if (c.input.pg.dataDirEmpty || (c.input.pg.dataDirError ?? null) !== null) return emptyDataDir(c);
  const sysidMsg = checkSystemId(c);
  if (sysidMsg !== null) return sysidMsg;
  if (!c.pgRunning) return postgresNotRunning(c);
  let info: Reason;
  if (cluster.leader === null) info = processUnhealthyCluster(c);
  else info = processHealthyCluster(c);
  if (cluster.leader !== null) info = evaluateScheduledRestart(c) ?? info;
  adoptRunningInstance(c);
  return info;
}

/**
 * Row 14 of §5.1: the first cycle of a fresh Patroni that found PostgreSQL already running fires
 * `on_start` and, on a replica, checks for divergence from the leader.
 */
function adoptRunningInstance(c: Cycle): void {
  if (c.memory.startCallbackFired || c.input.inFlight !== null) return;
  if (c.input.pg.state === 'starting' || c.actions.some((a) => taskOf(a) !== null)) return;
  if (!c.pgPrimary) triggerRewindCheck(c);
  c.add({ type: 'callback', name: 'on_start', role: c.memory.role });
  c.memory.startCallbackFired = true;
}
