import type { LocalPgState } from '../../src/core/model/local-pg.js';
import { UNKNOWN_PG_STATE } from '../../src/core/model/local-pg.js';

/**
 * A scripted PostgreSQL for the simulation: just the facts the HA core reads (running, in
 * recovery, timeline, WAL position, system identifier) and the transitions the executor
 * causes. WAL is one number per node; replicas copy their upstream's in `replicate`.
 */
export class FakePostgres {
  dataDirEmpty = true;
  running = false;
  inRecovery = true;
  timeline = 1;
  checkpointTimeline = 1;
  wal = 0;
  sysid: string | null = null;
  /** Member name we stream from, null for a standby without primary_conninfo. */
  upstream: string | null = null;
  starting = false;
  syncStandbyNames: string | null = null;
  /** Stopped without a shutdown checkpoint (kill -9 of the postmaster). */
  crashed = false;
  /** Timeline switches: `tl` ended at `switchLsn` (what `<tl+1>.history` records). */
  history: { tl: number; switchLsn: number }[] = [];

  get writable(): boolean {
    return this.running && !this.inRecovery;
  }

  observe(): LocalPgState {
    const base = { ...UNKNOWN_PG_STATE, dataDirEmpty: this.dataDirEmpty, serverVersion: 150002 };
    if (this.dataDirEmpty) return base;
    const common = {
      ...base,
      syncStandbyNames: this.syncStandbyNames,
      systemIdentifier: this.sysid,
      checkpointTimeline: this.checkpointTimeline,
    };
    if (!this.running) {
      return {
        ...common,
        state: 'stopped',
        clusterState: this.crashed
          ? this.inRecovery
            ? 'in archive recovery'
            : 'in production'
          : this.inRecovery
            ? 'shut down in recovery'
            : 'shut down',
      };
    }
    return {
      ...common,
      state: this.starting ? 'starting' : 'running',
      postmasterRunning: true,
      accepting: !this.starting,
      inRecovery: this.inRecovery,
      timeline: this.timeline,
      walPosition: this.inRecovery ? null : this.wal,
      receiveLsn: this.inRecovery ? this.wal : null,
      replayLsn: this.inRecovery ? this.wal : null,
      clusterState: this.inRecovery ? 'in archive recovery' : 'in production',
    };
  }

  /** The body of `GET /patroni` a peer would receive. */
  statusDocument(nofailover: boolean): Record<string, unknown> {
    const tags = nofailover ? { tags: { nofailover: true } } : {};
    if (!this.running) return { state: 'stopped', role: 'replica', ...tags };
    const xlog = this.inRecovery
      ? { received_location: this.wal, replayed_location: this.wal, paused: false }
      : { location: this.wal };
    const role = this.inRecovery ? 'replica' : 'master';
    return { state: 'running', role, xlog, timeline: this.timeline, ...tags };
  }

  initdb(sysid: string): void {
    this.dataDirEmpty = false;
    this.sysid = sysid;
    this.running = true;
    this.inRecovery = false;
    this.timeline = 1;
    this.checkpointTimeline = 1;
    this.wal = 1000;
  }

  cloneFrom(source: FakePostgres): void {
    this.dataDirEmpty = false;
    this.sysid = source.sysid;
    this.timeline = source.timeline;
    this.checkpointTimeline = source.timeline;
    this.wal = source.wal;
    this.history = [...source.history];
    this.running = false;
    this.inRecovery = true;
  }

  /**
   * The §11.3 question: did we write WAL on our timeline past the point where `source` left it?
   * Then streaming from it is impossible until pg_rewind.
   */
  divergedFrom(source: FakePostgres): boolean {
    if (source.timeline <= this.timeline) return false;
    const fork = source.history.find((h) => h.tl === this.timeline);
    return fork === undefined || this.wal > fork.switchLsn;
  }

  /** pg_rewind: back to the fork point, on the source's timeline history (stopped). */
  rewindFrom(source: FakePostgres): void {
    const fork = source.history.find((h) => h.tl === this.timeline);
    this.wal = Math.min(this.wal, fork?.switchLsn ?? source.wal);
    this.timeline = source.timeline;
    this.checkpointTimeline = source.timeline;
    this.history = [...source.history];
    this.running = false;
    this.crashed = false;
    this.inRecovery = true;
  }

  startAsReplica(upstream: string | null): void {
    this.running = true;
    this.crashed = false;
    this.inRecovery = true;
    this.upstream = upstream;
  }

  stop(): void {
    this.running = false;
  }

  crash(): void {
    this.running = false;
    this.crashed = true;
  }

  promote(): void {
    this.inRecovery = false;
    this.history.push({ tl: this.timeline, switchLsn: this.wal });
    this.timeline += 1;
    this.upstream = null;
  }

  /** Streams from `source` when it runs the same cluster on a timeline we can follow. */
  replicate(source: FakePostgres | undefined): void {
    if (!this.running || !this.inRecovery || source === undefined || !source.running) return;
    if (source.sysid !== this.sysid || source.timeline < this.timeline) return;
    if (this.divergedFrom(source)) return;
    this.timeline = source.timeline;
    this.history = [...source.history];
    this.wal = Math.max(this.wal, source.wal);
  }
}
