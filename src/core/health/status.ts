import type { MemberRole } from '../model/member.js';
import type { ScheduledRestart } from '../model/member.js';
import type { NodeView } from './node-view.js';
import { pythonDatetimeText } from './schedule.js';

/** The status document as JSON-ready data; key order is Patroni 3.0.2's (tools diff it). */
export type StatusDocument = Record<string, unknown>;

/** Roles on the wire: 3.0.2 peers and tools say `master`. */
export function wireRole(role: MemberRole): string {
  return role === 'primary' ? 'master' : role;
}

/** PostgreSQL answered the monitoring query, so the per-connection fields are known. */
function pgAnswered(view: NodeView): boolean {
  const { state, accepting } = view.pg;
  return accepting && (state === 'running' || state === 'restarting' || state === 'starting');
}

/** `get_postgresql_status()` of Patroni 3.0.2, built from the view instead of a query. */
export function postgresStatus(view: NodeView): StatusDocument {
  const doc: StatusDocument = pgAnswered(view) ? answeredStatus(view) : downStatus(view);
  const cluster = view.cluster;
  if (cluster === null || cluster.leader === null) doc['cluster_unlocked'] = true;
  if (view.failsafeActive) doc['failsafe_mode_is_active'] = true;
  doc['dcs_last_seen'] = view.dcsLastSeen;
  return doc;
}

function downStatus(view: NodeView): StatusDocument {
  // "running" while the query failed means we do not really know.
  const state = view.pg.state === 'running' ? 'unknown' : view.pg.state;
  return { state, role: wireRole(view.role) };
}

function answeredStatus(view: NodeView): StatusDocument {
  const pg = view.pg;
  const isReplica = pg.inRecovery === true;
  let role = isReplica ? 'replica' : 'master';
  if (isReplica && view.standbyCluster) role = wireRole(view.role);
  const doc: StatusDocument = {
    state: pg.state,
    postmaster_start_time: asPython(pg.postmasterStartTime),
    role,
    server_version: pg.serverVersion,
    xlog: isReplica
      ? {
          received_location: pg.receiveLsn ?? pg.replayLsn,
          replayed_location: pg.replayLsn,
          replayed_timestamp: asPython(view.replayedTimestamp),
          paused: pg.replayPaused,
        }
      : { location: pg.walPosition },
  };
  if (role === 'replica' && isSyncStandby(view)) doc['sync_standby'] = true;
  doc['timeline'] = pg.timeline;
  if (pg.replication.length > 0) {
    doc['replication'] = pg.replication.map((r) => ({
      usename: r.usename,
      application_name: r.applicationName,
      client_addr: r.clientAddr,
      state: r.state,
      sync_state: r.syncState,
      sync_priority: r.syncPriority,
    }));
  }
  return doc;
}

function asPython(text: string | null): string | null {
  return text === null ? null : pythonDatetimeText(text);
}

/** Listed in `/sync` while synchronous mode is on (3.0.2 compares names exactly). */
export function isSyncStandby(view: NodeView): boolean {
  return (
    view.synchronousMode &&
    view.cluster !== null &&
    view.cluster.sync.syncStandbys.includes(view.name)
  );
}

/** `_write_status_response()`: the fields appended after the PostgreSQL part. */
export function completeStatus(view: NodeView, doc: StatusDocument): StatusDocument {
  const out: StatusDocument = { ...doc };
  if (Object.keys(view.effectiveTags).length > 0) out['tags'] = { ...view.effectiveTags };
  if (view.pg.systemIdentifier !== null) {
    out['database_system_identifier'] = view.pg.systemIdentifier;
  }
  if (view.pg.pendingRestart) out['pending_restart'] = true;
  out['patroni'] = { version: view.version, scope: view.scope };
  if (view.scheduledRestart !== null) {
    out['scheduled_restart'] = scheduledRestartJson(view.scheduledRestart);
  }
  if (!view.watchdogHealthy) out['watchdog_failed'] = true;
  if (view.paused) out['pause'] = true;
  // Ours, last so that Patroni's keys keep their order: tools that diff the document still can.
  if (view.leaseRemaining !== undefined && view.leaseRemaining !== null) {
    out['lease_remaining'] = view.leaseRemaining;
  }
  return out;
}

/** The full document of `GET /patroni` and of every health-check GET. */
export function statusDocument(view: NodeView): StatusDocument {
  return completeStatus(view, postgresStatus(view));
}

/** The request filters as stored, minus `postmaster_start_time` (Patroni drops it here). */
export function scheduledRestartJson(s: ScheduledRestart): Record<string, unknown> {
  const out: Record<string, unknown> = { schedule: s.schedule };
  if (s.restartPending !== undefined) out['restart_pending'] = s.restartPending;
  if (s.role !== undefined) out['role'] = s.role;
  if (s.postgresVersion !== undefined) out['postgres_version'] = s.postgresVersion;
  if (s.timeout !== undefined) out['timeout'] = s.timeout;
  return out;
}
