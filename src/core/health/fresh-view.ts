import type { LocalPgState } from '../model/local-pg.js';
import type { NodeView } from './node-view.js';

/** What a REST request's own read of PostgreSQL found (see postgres/status-query.ts). */
export interface FreshPgRead {
  readonly pg: LocalPgState;
  readonly replayedTimestamp: string | null;
}

/**
 * The view with the fields Patroni 3.0.2 reads per request in `get_postgresql_status` taken from
 * a fresh query: role (recovery or not), WAL positions, replay state, timeline, start time and
 * the walsenders (`replication`). The rest stays the loop's: `state`, `pending_restart`, the
 * version and the system identifier come from Patroni's `postgresql` object there too, and the
 * role checks (/primary, /replica...) never see this view.
 */
export function withFreshPg(view: NodeView, read: FreshPgRead): NodeView {
  const f = read.pg;
  return {
    ...view,
    pg: {
      ...view.pg,
      inRecovery: f.inRecovery,
      timeline: f.timeline,
      walPosition: f.walPosition,
      receiveLsn: f.receiveLsn,
      replayLsn: f.replayLsn,
      replayPaused: f.replayPaused,
      receivedTimeline: f.receivedTimeline,
      walReceiverConninfo: f.walReceiverConninfo,
      replication: f.replication,
      postmasterStartTime: f.postmasterStartTime,
    },
    replayedTimestamp: read.pg.inRecovery === true ? read.replayedTimestamp : null,
  };
}
