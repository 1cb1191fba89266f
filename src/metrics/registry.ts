import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { LeaderChange } from './leader-changes.js';

/** Where the lease gauge reads from, at scrape time (see lease.ts). */
export type LeaseSource = () => number | null;

/**
 * The series patroni-ts adds to Patroni's `/metrics` (README "Metrics"), in their own registry:
 * Patroni's 3.0.2 lines are rendered byte for byte elsewhere and come first. Every series has
 * the `scope` label, as Patroni's do, so dashboards join on it.
 */
export class DaemonMetrics {
  readonly registry = new Registry();
  private readonly cycle: Histogram;
  private readonly decisions: Counter<'kind'>;
  private readonly dcsLatency: Histogram<'operation'>;
  private readonly dcsErrors: Counter<'operation'>;
  private readonly restRequests: Counter<'route' | 'method' | 'status'>;
  private readonly restLatency: Histogram<'route' | 'method'>;
  private readonly changeTime: Gauge<'kind'>;
  private readonly changeDuration: Gauge<'kind'>;
  /** Label children cached by key: a probe flood should not hash labels per request. */
  private readonly restChildren = new Map<
    string,
    { count: Counter.Internal; latency: Histogram.Internal<'route' | 'method'> }
  >();

  constructor(
    scope: string,
    /** This node's name: the lease gauge's `member` label (the lock holder's name). */
    member: string,
    lease: LeaseSource = () => null,
  ) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ scope });
    this.cycle = new Histogram({
      name: 'patroni_ts_ha_cycle_duration_seconds',
      help: 'Duration of one HA cycle (read the DCS, observe PostgreSQL, decide, act), in seconds.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.decisions = new Counter({
      name: 'patroni_ts_ha_decisions_total',
      help: 'HA cycle decisions, by the kind of their reason (as in the decision journal).',
      labelNames: ['kind'],
      registers,
    });
    this.dcsLatency = new Histogram({
      name: 'patroni_ts_dcs_request_duration_seconds',
      help: 'Duration of DCS requests made by this node, by operation, failed ones included, in seconds.',
      labelNames: ['operation'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.dcsErrors = new Counter({
      name: 'patroni_ts_dcs_request_errors_total',
      help: 'DCS requests that failed (the store did not answer or refused the request), by operation.',
      labelNames: ['operation'],
      registers,
    });
    // Registered, then read through `collect` at scrape time only.
    new Gauge({
      name: 'patroni_ts_leader_lease_remaining_seconds',
      help: 'Seconds left before the leader lease expires unless renewed; present only on the leader.',
      // Labelled so that reset() drops the series: an unlabelled gauge would show 0 instead.
      labelNames: ['member'],
      registers,
      collect() {
        this.reset();
        const left = lease();
        if (left !== null) this.set({ member }, left);
      },
    });
    this.changeTime = new Gauge({
      name: 'patroni_ts_last_leader_change_timestamp_seconds',
      help: 'Epoch seconds when this node last saw a new leader, by kind (switchover: requested; failover: leader lost).',
      labelNames: ['kind'],
      registers,
    });
    this.changeDuration = new Gauge({
      name: 'patroni_ts_last_leader_change_duration_seconds',
      help: 'How long the last leader change took as seen by this node (request or loss of the old leader to the new leader), by kind.',
      labelNames: ['kind'],
      registers,
    });
    this.restRequests = new Counter({
      name: 'patroni_ts_rest_requests_total',
      help: 'REST API requests answered, by route, method and status code.',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.restLatency = new Histogram({
      name: 'patroni_ts_rest_request_duration_seconds',
      help: 'Time to answer a REST API request, by route and method, in seconds.',
      labelNames: ['route', 'method'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers,
    });
  }

  observeCycle(seconds: number, kind: string): void {
    this.cycle.observe(seconds);
    this.decisions.inc({ kind });
  }

  observeDcs(operation: string, seconds: number, ok: boolean): void {
    this.dcsLatency.observe({ operation }, seconds);
    if (!ok) this.dcsErrors.inc({ operation });
  }

  leaderChanged(change: LeaderChange): void {
    this.changeTime.set({ kind: change.kind }, change.atMs / 1000);
    this.changeDuration.set({ kind: change.kind }, change.durationMs / 1000);
  }

  observeRequest(route: string, method: string, status: number, seconds: number): void {
    const key = `${route} ${method} ${status}`;
    let child = this.restChildren.get(key);
    if (child === undefined) {
      child = {
        count: this.restRequests.labels(route, method, String(status)),
        latency: this.restLatency.labels(route, method),
      };
      this.restChildren.set(key, child);
    }
    child.count.inc();
    child.latency.observe(seconds);
  }

  /** The exposition text of these series (appended to Patroni's in `GET /metrics`). */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
