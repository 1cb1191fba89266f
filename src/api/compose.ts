import type { NodeView } from '../core/health/node-view.js';
import type { RestartRequest } from '../core/health/restart-request.js';
import { failoverLimitation, parsePeerStatus } from '../core/ha/peer-status.js';
import type { Journal } from '../core/journal/journal.js';
import type { WhatIfAnswer } from '../core/journal/what-if.js';
import type { Member } from '../core/model/member.js';
import type { Dcs } from '../dcs/port.js';
import type { ApiContext, RestartOutcome } from './context.js';

/** The daemon's side of the API: actions only it can carry out. */
export interface DaemonActions {
  restart(request: RestartRequest): Promise<RestartOutcome>;
  scheduleRestart(request: RestartRequest & { readonly schedule: string }): boolean;
  deleteScheduledRestart(): boolean;
  reload(): void;
  reinitialize(force: boolean): Promise<string | null>;
  updateFailsafe(body: Readonly<Record<string, unknown>>): string | null;
  wakeup(): void;
  journal(): Journal;
  whatIfLeaderDied(): Promise<WhatIfAnswer | null>;
}

export interface ApiContextParts {
  readonly view: () => NodeView;
  /** The view with PostgreSQL read fresh; `view` when left out. */
  readonly freshView?: () => Promise<NodeView>;
  readonly dcs: Pick<Dcs, 'getCluster' | 'setConfigValue' | 'setFailoverValue'>;
  /** A member's `GET <api_url>` body, or null when unreachable (the daemon's peer client). */
  readonly fetchStatus: (apiUrl: string) => Promise<unknown>;
  readonly actions: DaemonActions;
}

/**
 * An ApiContext from the pieces the daemon already has: its node view, the DCS port, its peer
 * client and its action methods. The candidate check is Patroni's `fetch_nodes_statuses` +
 * `failover_limitation() is None`, asked of all candidates at once.
 */
export function composeApiContext(parts: ApiContextParts): ApiContext {
  const { dcs, actions } = parts;
  return {
    view: parts.view,
    freshView: parts.freshView ?? (() => Promise.resolve(parts.view())),
    getCluster: () => dcs.getCluster(),
    setConfigValue: (config, index) => dcs.setConfigValue(config, index),
    setFailoverValue: (value, index) => dcs.setFailoverValue(value, index),
    anyHealthyCandidate: async (members: readonly Member[]) => {
      const statuses = await Promise.all(
        members.map(async (m) =>
          m.apiUrl === null
            ? null
            : parsePeerStatus(await parts.fetchStatus(m.apiUrl).catch(() => null)),
        ),
      );
      return statuses.some((s) => failoverLimitation(s) === null);
    },
    restart: (request) => actions.restart(request),
    scheduleRestart: (request) => actions.scheduleRestart(request),
    deleteScheduledRestart: () => actions.deleteScheduledRestart(),
    reload: () => {
      actions.reload();
    },
    reinitialize: (force) => actions.reinitialize(force),
    updateFailsafe: (body) => actions.updateFailsafe(body),
    wakeup: () => {
      actions.wakeup();
    },
    journal: () => actions.journal(),
    whatIfLeaderDied: () => actions.whatIfLeaderDied(),
  };
}
