import { primaryView } from '../../core/health/fixtures.js';
import type { NodeView } from '../../core/health/node-view.js';
import type { RestartRequest } from '../../core/health/restart-request.js';
import { Journal } from '../../core/journal/journal.js';
import type { WhatIfAnswer } from '../../core/journal/what-if.js';
import type { ClusterSnapshot } from '../../core/model/cluster.js';
import type { Member } from '../../core/model/member.js';
import { PatroniError } from '../../shared/errors.js';
import type { ApiContext, FailoverValue, RestartOutcome } from '../context.js';

/**
 * An ApiContext over plain fields, for tests and the REST bench: set `nodeView`, `cluster` and
 * the canned answers, then read `calls` to see what the API asked of the daemon.
 */
export class FakeApiContext implements ApiContext {
  nodeView: NodeView = primaryView();
  /** What getCluster returns; null makes it throw DCS_UNREACHABLE. */
  cluster: ClusterSnapshot | null = this.nodeView.cluster;
  /** Called after each setFailoverValue, e.g. to simulate the new leader taking the lock. */
  onFailoverWritten: ((value: FailoverValue) => void) | null = null;
  configWriteResult = true;
  failoverWriteResult = true;
  healthyCandidates = true;
  restartOutcome: RestartOutcome = { ok: true, message: 'restarted successfully' };
  reinitRefusal: string | null = null;
  failsafeRefusal: string | null = null;
  scheduled: (RestartRequest & { schedule: string }) | null = null;
  readonly decisions = new Journal();
  whatIf: WhatIfAnswer | null = null;
  readonly calls: { name: string; args: unknown[] }[] = [];

  private record(name: string, ...args: unknown[]): void {
    this.calls.push({ name, args });
  }

  callsTo(name: string): unknown[][] {
    return this.calls.filter((c) => c.name === name).map((c) => c.args);
  }

  view(): NodeView {
    return this.nodeView;
  }

  freshView(): Promise<NodeView> {
    this.record('freshView');
    // Through view(), as the daemon's does: a test that breaks view() breaks this too.
    return Promise.resolve().then(() => this.view());
  }

  getCluster(): Promise<ClusterSnapshot> {
    this.record('getCluster');
    if (this.cluster === null) {
      return Promise.reject(new PatroniError('DCS_UNREACHABLE', 'etcd is not reachable'));
    }
    return Promise.resolve(this.cluster);
  }

  setConfigValue(config: Readonly<Record<string, unknown>>, index?: number): Promise<boolean> {
    this.record('setConfigValue', config, index);
    if (this.configWriteResult && this.cluster !== null) {
      const next = (this.cluster.config?.index ?? 0) + 1;
      this.cluster = { ...this.cluster, config: { data: config, index: next } };
    }
    return Promise.resolve(this.configWriteResult);
  }

  setFailoverValue(value: FailoverValue, index?: number): Promise<boolean> {
    this.record('setFailoverValue', value, index);
    if (this.failoverWriteResult && this.cluster !== null) {
      const empty = value.leader === null && value.candidate === null && value.scheduledAt === null;
      this.cluster = {
        ...this.cluster,
        failover: empty ? null : { ...value, index: (index ?? 0) + 1 },
      };
      this.onFailoverWritten?.(value);
    }
    return Promise.resolve(this.failoverWriteResult);
  }

  anyHealthyCandidate(members: readonly Member[]): Promise<boolean> {
    this.record(
      'anyHealthyCandidate',
      members.map((m) => m.name),
    );
    return Promise.resolve(this.healthyCandidates);
  }

  restart(request: RestartRequest): Promise<RestartOutcome> {
    this.record('restart', request);
    return Promise.resolve(this.restartOutcome);
  }

  scheduleRestart(request: RestartRequest & { readonly schedule: string }): boolean {
    this.record('scheduleRestart', request);
    if (this.scheduled !== null) return false;
    this.scheduled = { ...request };
    return true;
  }

  deleteScheduledRestart(): boolean {
    this.record('deleteScheduledRestart');
    const had = this.scheduled !== null;
    this.scheduled = null;
    return had;
  }

  reload(): void {
    this.record('reload');
  }

  reinitialize(force: boolean): Promise<string | null> {
    this.record('reinitialize', force);
    return Promise.resolve(this.reinitRefusal);
  }

  updateFailsafe(body: Readonly<Record<string, unknown>>): string | null {
    this.record('updateFailsafe', body);
    return this.failsafeRefusal;
  }

  wakeup(): void {
    this.record('wakeup');
  }

  journal(): Journal {
    return this.decisions;
  }

  whatIfLeaderDied(): Promise<WhatIfAnswer | null> {
    this.record('whatIfLeaderDied');
    return Promise.resolve(this.whatIf);
  }
}
