import { MemoryStore } from '../../src/dcs/memory/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { SimNode, type SimEvent, type SimWorld } from './sim-node.js';
import type { FakePostgres } from './fake-postgres.js';
import { initialMemory } from '../../src/core/ha/memory.js';
import { parseSyncStandbyNames } from '../../src/core/ha/sync-names.js';
import type { ReplicationRow } from '../../src/core/model/local-pg.js';
import type { FailsafePing } from '../../src/core/ha/input.js';

/**
 * Several SimNodes on one memory DCS and one ManualClock. Each node runs a cycle every
 * `loop_wait` seconds, staggered; between events the clock jumps to the next due time. After
 * every event the invariant "at most one writable primary" is checked.
 */
export class ClusterSim implements SimWorld {
  readonly clock = new ManualClock();
  readonly store = new MemoryStore(this.clock);
  readonly nodes = new Map<string, SimNode>();
  readonly events: SimEvent[] = [];
  private readonly due = new Map<string, number>();
  /** Nodes cut off from everything: DCS, replication and REST (a full network partition). */
  readonly isolated = new Set<string>();
  /** Worst count of writable primaries seen at any instant. */
  maxPrimaries = 0;
  readonly loopWaitMs = 10_000;

  constructor(names: readonly string[], staggerMs = 3_000) {
    names.forEach((name, i) => {
      const dcs = this.store.client({ scope: 'batman', name });
      this.nodes.set(name, new SimNode(name, dcs, this));
      this.due.set(name, this.clock.now() + i * staggerMs);
    });
  }

  node(name: string): SimNode {
    const n = this.nodes.get(name);
    if (n === undefined) throw new Error(`no node ${name}`);
    return n;
  }

  statusOf(name: string): Record<string, unknown> | null {
    const n = this.nodes.get(name);
    if (n === undefined || !n.alive || this.isolated.has(name)) return null;
    return n.pg.statusDocument(n.nofailover);
  }

  acceptFailsafe(to: string, from: Omit<FailsafePing, 'receivedAt'>): boolean {
    const n = this.nodes.get(to);
    // A dead node does not answer; a running primary answers 500 `Running as a leader`.
    if (n === undefined || !n.alive || !n.failsafeMode || n.pg.writable) return false;
    if (this.isolated.has(to) || this.isolated.has(from.name)) return false;
    n.failsafePing = { ...from, receivedAt: this.clock.now() };
    return true;
  }

  replicationRowsFor(name: string): ReplicationRow[] {
    const me = this.node(name);
    if (!me.pg.writable) return [];
    const named = parseSyncStandbyNames(me.pg.syncStandbyNames);
    const rows: ReplicationRow[] = [];
    for (const n of this.nodes.values()) {
      if (!n.alive || !n.pg.running || n.pg.upstream !== name) continue;
      const sync = named.includes(n.name) || me.pg.syncStandbyNames === '*';
      rows.push({
        pid: rows.length + 100,
        usename: 'replicator',
        applicationName: n.name,
        clientAddr: null,
        state: 'streaming',
        syncState: sync ? 'sync' : 'async',
        syncPriority: sync ? 1 : 0,
        writeLsn: n.pg.wal,
        flushLsn: n.pg.wal,
        replayLsn: n.pg.wal,
      });
    }
    return rows;
  }

  pgOf(name: string): FakePostgres | undefined {
    return this.nodes.get(name)?.pg;
  }

  record(event: SimEvent): void {
    this.events.push(event);
  }

  primaries(): string[] {
    return [...this.nodes.values()].filter((n) => n.alive && n.pg.writable).map((n) => n.name);
  }

  /**
   * Restarts the Patroni process of `name`: new DCS session, fresh memory (role from the data
   * directory, §4.0), the running long action lost; PostgreSQL keeps running as it was.
   */
  async restartPatroni(name: string): Promise<void> {
    const old = this.node(name);
    await old.dcs.close();
    const dcs = this.store.client({ scope: 'batman', name });
    const fresh = new SimNode(name, dcs, this, old.taskMs, old.pg);
    fresh.nofailover = old.nofailover;
    fresh.failsafeMode = old.failsafeMode;
    fresh.synchronousMode = old.synchronousMode;
    fresh.canRewind = old.canRewind;
    const pg = old.pg;
    const role = pg.dataDirEmpty ? 'uninitialized' : pg.writable ? 'primary' : 'replica';
    fresh.memory = initialMemory(role);
    this.nodes.set(name, fresh);
  }

  /** Cuts `name` off the network entirely (true) or lets it back (false). */
  setIsolated(name: string, isolated: boolean): void {
    this.store.setReachable(name, !isolated);
    if (isolated) this.isolated.add(name);
    else this.isolated.delete(name);
  }

  /** Simulates a machine dying: Patroni and PostgreSQL stop, its lease is left to expire. */
  kill(name: string): void {
    const n = this.node(name);
    n.alive = false;
    n.pg.stop();
  }

  /** Runs events until `until` (ms of simulated time from now) or until `done()` holds. */
  async run(forMs: number, done: () => boolean = () => false): Promise<void> {
    const end = this.clock.now() + forMs;
    while (this.clock.now() <= end) {
      const [name, at, isTask] = this.nextEvent();
      if (at > end) break;
      if (at > this.clock.now()) this.clock.advance(at - this.clock.now());
      const node = this.node(name);
      this.replicate();
      this.clientWrites();
      if (isTask) {
        await node.finishTask();
        // Patroni wakes the loop when a long action ends: the next cycle runs at once.
        this.due.set(name, this.clock.now());
      } else {
        this.due.set(name, at + this.loopWaitMs);
        if (node.alive) await node.cycle();
      }
      this.check();
      if (done()) return;
    }
  }

  /** The earliest of every node's next cycle and its running task's end. */
  private nextEvent(): [string, number, boolean] {
    let best: [string, number, boolean] = ['', Infinity, false];
    for (const [name, at] of this.due) {
      const node = this.node(name);
      const task = node.alive ? node.task : null;
      if (task !== null && task.finishAt < best[1]) best = [name, task.finishAt, true];
      if (at < best[1]) best = [name, at, false];
    }
    return best;
  }

  private replicate(): void {
    for (const n of this.nodes.values()) {
      const up = n.pg.upstream;
      if (!n.alive || up === null || this.isolated.has(n.name) || this.isolated.has(up)) continue;
      n.pg.replicate(this.pgOf(up));
    }
  }

  /** Applications keep writing to whichever node accepts writes. */
  private clientWrites(): void {
    for (const name of this.primaries()) this.node(name).pg.wal += 100;
  }

  private check(): void {
    this.maxPrimaries = Math.max(this.maxPrimaries, this.primaries().length);
  }

  leaderKey(): string | null {
    return this.store.get('/service/batman/leader')?.value ?? null;
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}
