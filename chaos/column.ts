import { readFile } from 'node:fs/promises';
import { analyseFaults } from './check/faults.js';
import { readTimeline } from './check/read-state.js';
import { checkSplitBrain } from './check/split-brain.js';
import { summariseByNemesis } from './check/summary.js';
import { checkTimelines } from './check/timelines.js';
import { ackTimes, checkWrites } from './check/writes.js';
import { History } from './history.js';
import { injectWithStandIn } from './inject.js';
import { rawHistory } from './report/history.js';
import { processReport, scanProcesses } from './topology/proc-scan.js';
import type { ColumnResult } from './report/types.js';
import type { Schedule, ScheduleStep } from './schedule/schedule.js';
import type { Nemesis, Topology, TopologyOptions } from './types.js';
import { LeaderWatch } from './workload/leader-watch.js';
import { errorText, sleep } from './workload/pg.js';
import { SplitBrainProbe } from './workload/probe.js';
import { createTables, presentIds } from './workload/tables.js';
import { Writers } from './workload/writers.js';

export interface ColumnOptions {
  readonly topology: TopologyOptions;
  readonly start: (o: TopologyOptions) => Promise<Topology>;
  readonly topologyName: string;
  readonly schedule: Schedule;
  readonly nemeses: ReadonlyMap<string, Nemesis>;
  /** Healthy again within this long after a heal, or a human was needed. */
  readonly recoveryDeadlineMs: number;
  readonly writers?: number;
  readonly writePeriodMs?: number;
  readonly log?: (line: string) => void;
}

let active: Topology | null = null;

/** Tears down the topology of the column running now (for Ctrl-C: no namespaces left behind). */
export async function destroyActive(): Promise<void> {
  const t = active;
  active = null;
  await t?.destroy();
}

/** Polls `topology.healthy()` until true or the deadline; the time it became healthy, or null. */
async function waitHealthy(t: Topology, h: History, deadlineMs: number): Promise<number | null> {
  const until = h.now() + deadlineMs;
  while (h.now() < until) {
    if (await t.healthy().catch(() => false)) return h.now();
    await sleep(250);
  }
  return null;
}

/**
 * What each node says, the processes that could keep its PostgreSQL down (postmaster.pid and what
 * that pid is now, stopped or zombie processes, its shared memory) and the end of its daemon's
 * log, into the run's log: a state that needed a human is the finding the run exists for, and the
 * topology (with its logs) is gone afterwards.
 */
async function reportStuck(t: Topology, log: (l: string) => void, tag: string): Promise<void> {
  const status = await t.status().catch(() => new Map());
  const procs = await processReport(t.nodes).catch((err: unknown) => {
    log(`[${tag} stuck: process scan failed: ${errorText(err)}`);
    return new Map<string, string[]>();
  });
  for (const line of procs.get('*') ?? []) log(`[${tag} stuck: ${line}`);
  for (const n of t.nodes) {
    log(`[${tag} stuck: ${n.name} says ${JSON.stringify(status.get(n.name) ?? null)}`);
    for (const line of procs.get(n.name) ?? []) log(`[${tag} stuck: ${n.name} ${line}`);
    if (n.logPath === undefined) continue;
    const text = await readFile(n.logPath, 'utf8').catch(() => '');
    for (const line of text.trimEnd().split('\n').slice(-STUCK_LOG_LINES))
      log(`[${tag} ${n.name}| ${line}`);
  }
}

const STUCK_LOG_LINES = 40;

/**
 * What a human would do: undo every network rule, wake and start every process (every stopped
 * process of a node's PostgreSQL included, not only its postmaster: a stopped old backend keeps
 * the shared memory attached and a new postmaster out).
 */
async function humanFix(t: Topology): Promise<void> {
  await t.net.heal().catch(() => undefined);
  for (const e of t.etcd) if (e.pid() === null) await e.start().catch(() => undefined);
  const dataDirs = new Set(t.nodes.map((n) => n.dataDir));
  for (const p of await scanProcesses().catch(() => [])) {
    if (p.state === 'T' && p.cwd !== null && dataDirs.has(p.cwd)) tryKill(p.pid, 'SIGCONT');
  }
  for (const n of t.nodes) {
    const pids = [n.daemonPid(), await n.postmasterPid()];
    for (const pid of pids) if (pid !== null) tryKill(pid, 'SIGCONT');
    if (n.daemonPid() === null) await n.startDaemon().catch(() => undefined);
  }
}

function tryKill(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // gone
  }
}

/** Runs one schedule against one fresh topology and judges the history. */
export async function runColumn(o: ColumnOptions): Promise<ColumnResult> {
  const log = o.log ?? ((l: string) => void process.stdout.write(`${l}\n`));
  const label = `${o.topology.system}/${o.topology.mode}`;
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  log(`[${label}] starting the ${o.topologyName} topology`);
  const t = await o.start(o.topology);
  active = t;
  try {
    const h = new History();
    if ((await waitHealthy(t, h, 180_000)) === null) throw new Error(`${label}: never healthy`);
    await createTables(t.primaryUrl);
    const writers = new Writers(
      {
        url: t.primaryUrl,
        writers: o.writers ?? 2,
        periodMs: o.writePeriodMs ?? 20,
        timeouts: { connectMs: 1000, queryMs: 2000 },
      },
      h,
    );
    const probe = new SplitBrainProbe(t.nodes, h);
    const watch = new LeaderWatch(t, h);
    writers.start();
    probe.start();
    watch.start();
    await sleep(3000);
    const skipped: ColumnResult['skipped'][number][] = [];
    let abandoned: string | null = null;
    for (const step of o.schedule.steps) {
      const r = await runStep(t, h, step, o, log, label);
      skipped.push(...r.skipped);
      if (r.abandon !== undefined) {
        abandoned = r.abandon;
        break;
      }
    }
    const writesEnd = h.now();
    await writers.stop();
    await probe.stop();
    await watch.stop();
    return await judge(t, h, o, {
      startedAt,
      t0,
      writesEnd,
      skipped,
      abandoned,
      log,
      label,
    });
  } finally {
    active = null;
    await t.destroy().catch((err: unknown) => {
      log(`[${label}] destroy failed: ${errorText(err)}`);
    });
  }
}

interface StepResult {
  /** The scheduled nemesis and stand-ins that could not be injected, and what ran instead. */
  readonly skipped: ColumnResult['skipped'];
  readonly abandon?: string;
}

async function runStep(
  t: Topology,
  h: History,
  step: ScheduleStep,
  o: ColumnOptions,
  log: (l: string) => void,
  label: string,
): Promise<StepResult> {
  const inj = await injectWithStandIn(t, step.nemesis, step.seed, o.nemeses, () => h.now());
  const ran = inj.nemesis?.name ?? null;
  const skipped = inj.failed.map((f) => ({ index: step.index, ...f, replacedBy: ran }));
  for (const f of inj.failed) {
    log(`[${label}] #${step.index + 1} ${f.nemesis}: not injected: ${f.reason}`);
  }
  const { nemesis, handle, at } = inj;
  if (nemesis === null || handle === null) return { skipped };
  if (inj.failed.length > 0) log(`[${label}] #${step.index + 1} instead: ${nemesis.name}`);
  h.record({
    at,
    kind: 'fault',
    nemesis: nemesis.name,
    description: handle.description,
    targets: handle.targets,
    hitsLeader: nemesis.hitsLeader,
    step: step.index,
  });
  await sleep(step.holdMs);
  await handle.heal().catch((err: unknown) => {
    log(`[${label}] #${step.index + 1} heal failed: ${errorText(err)}`);
  });
  const healAt = h.now();
  h.record({ at: healAt, kind: 'heal', nemesis: nemesis.name });
  let healthyAt = await waitHealthy(t, h, o.recoveryDeadlineMs);
  let note = '';
  if (healthyAt === null) {
    note = ' (needed a human)';
    await reportStuck(t, log, `${label}] #${step.index + 1}`);
    await humanFix(t);
    healthyAt = await waitHealthy(t, h, o.recoveryDeadlineMs);
  }
  const took = healthyAt === null ? 'never' : `${((healthyAt - healAt) / 1000).toFixed(1)} s`;
  log(
    `[${label}] #${step.index + 1} ${handle.description}: held ${(step.holdMs / 1000).toFixed(1)} s, healthy after ${took}${note}`,
  );
  if (healthyAt === null)
    return { skipped, abandon: `not healthy after #${step.index + 1} even after a human's fix` };
  h.record({ at: healthyAt, kind: 'healthy' });
  await sleep(step.settleMs);
  h.record({ at: h.now(), kind: 'settled' });
  return { skipped };
}

interface JudgeContext {
  readonly startedAt: string;
  readonly t0: number;
  readonly writesEnd: number;
  readonly skipped: ColumnResult['skipped'];
  readonly abandoned: string | null;
  readonly log: (l: string) => void;
  readonly label: string;
}

async function judge(
  t: Topology,
  h: History,
  o: ColumnOptions,
  c: JudgeContext,
): Promise<ColumnResult> {
  // The recorder's appends are not in time order (a fault is stamped before its injection).
  const events = [...h.events].sort((a, b) => a.at - b.at);
  if ((await waitHealthy(t, h, o.recoveryDeadlineMs)) === null) {
    c.log(`[${c.label}] not healthy at the end; checking whatever leader there is`);
  }
  const finalLeader = await waitLeader(t, o.recoveryDeadlineMs);
  const { node: rowsFrom, ids: present } = await finalRows(t, finalLeader);
  c.log(
    `[${c.label}] final leader ${finalLeader ?? 'none'}; ${present.length} rows on ${rowsFrom ?? 'no node'}`,
  );
  const writes = checkWrites(events, present);
  const split = checkSplitBrain(events);
  const acked = ackTimes(events);
  const outcomes = analyseFaults({
    events,
    writesEnd: c.writesEnd,
    recoveryDeadlineMs: o.recoveryDeadlineMs,
    lostAckTimes: writes.lost.map((id) => acked.get(id) ?? 0),
    splitBrain: split.incidents,
  });
  let timelines: ColumnResult['timelines'];
  try {
    timelines = checkTimelines(await Promise.all(t.nodes.map(readTimeline)));
  } catch (err) {
    timelines = { error: errorText(err) };
  }
  return {
    system: o.topology.system,
    mode: o.topology.mode,
    seed: o.schedule.seed,
    topology: o.topologyName,
    startedAt: c.startedAt,
    durationMs: Math.round(performance.now() - c.t0),
    faultsPlanned: o.schedule.steps.length,
    skipped: c.skipped,
    abandoned: c.abandoned,
    finalLeader,
    rowsFrom,
    writes: {
      acked: writes.acked,
      uncertain: writes.uncertain,
      lost: writes.lost.length,
      lostSample: writes.lost.slice(0, 20),
      phantom: writes.phantom.length,
    },
    splitBrain: { totalMs: split.totalMs, incidents: split.incidents.length },
    timelines,
    outcomes,
    summary: summariseByNemesis(outcomes),
    history: rawHistory(events, c.writesEnd, writes.lost, writes.phantom),
  };
}

/** The leader key's holder, asked until it answers (a loaded etcd may time out once or twice). */
async function waitLeader(t: Topology, deadlineMs: number): Promise<string | null> {
  const until = performance.now() + deadlineMs;
  while (performance.now() < until) {
    const l = await t.leader().catch(() => null);
    if (l !== null) return l;
    await sleep(500);
  }
  return null;
}

/**
 * The ids to judge: the final leader's; without a leader, those of the node that has the most (the
 * best case for "lost"), so that a missing leader is reported as such rather than as every row lost.
 */
async function finalRows(
  t: Topology,
  leader: string | null,
): Promise<{ node: string | null; ids: number[] }> {
  const l = t.nodes.find((n) => n.name === leader);
  // A leader whose PostgreSQL does not answer at the end is a finding (its fault shows "needed a
  // human"), not a reason to lose the whole column's results: judge the best node's rows then.
  const fromLeader = l === undefined ? null : await presentIds(l.pgUrl).catch(() => null);
  if (l !== undefined && fromLeader !== null) return { node: l.name, ids: fromLeader };
  let best: { node: string | null; ids: number[] } = { node: null, ids: [] };
  for (const n of t.nodes) {
    const ids = await presentIds(n.pgUrl).catch(() => []);
    if (ids.length > best.ids.length) best = { node: n.name, ids };
  }
  return best;
}
