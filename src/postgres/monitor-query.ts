import { parseLsn } from '../core/model/lsn.js';
import type { Lsn } from '../core/model/lsn.js';
import type { ReplicationRow } from '../core/model/local-pg.js';
import type { ExistingSlot } from '../core/pg/slots.js';

/**
 * The one monitoring query per cycle (spec/core.md §14.9), PG 10+ names. Everything the HA loop
 * and the REST API read comes from this single round trip; pg_stat_replication is folded into
 * JSON so it still is one row, and so are the replication slots the cycle then reconciles.
 */
export const MONITOR_SQL = `
SELECT
  pg_catalog.pg_is_in_recovery() AS in_recovery,
  CASE WHEN pg_catalog.pg_is_in_recovery() THEN 0
       ELSE ('x' || pg_catalog.substr(pg_catalog.pg_walfile_name(pg_catalog.pg_current_wal_lsn()), 1, 8))::bit(32)::int
  END AS timeline,
  CASE WHEN pg_catalog.pg_is_in_recovery() THEN NULL ELSE pg_catalog.pg_current_wal_lsn()::text END AS wal_position,
  pg_catalog.pg_last_wal_receive_lsn()::text AS receive_lsn,
  pg_catalog.pg_last_wal_replay_lsn()::text AS replay_lsn,
  CASE WHEN pg_catalog.pg_is_in_recovery() THEN pg_catalog.pg_is_wal_replay_paused() ELSE false END AS replay_paused,
  pg_catalog.to_char(pg_catalog.pg_postmaster_start_time() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00:00' AS postmaster_start_time,
  pg_catalog.to_char(pg_catalog.pg_last_xact_replay_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00:00' AS replayed_timestamp,
  pg_catalog.current_setting('server_version_num')::int AS server_version,
  (SELECT system_identifier::text FROM pg_catalog.pg_control_system()) AS system_identifier,
  pg_catalog.current_setting('synchronous_standby_names') AS sync_standby_names,
  pg_catalog.current_setting('synchronous_commit') AS synchronous_commit,
  EXISTS (SELECT 1 FROM pg_catalog.pg_settings WHERE pending_restart
          AND name NOT IN ('primary_conninfo', 'primary_slot_name', 'restore_command',
                           'recovery_min_apply_delay', 'archive_cleanup_command')
          AND name NOT LIKE 'recovery\\_target%') AS pending_restart,
  (SELECT pg_catalog.row_to_json(w) FROM (
     SELECT CASE WHEN latest_end_lsn IS NULL THEN NULL ELSE received_tli END AS received_tli,
            slot_name, conninfo, status
     FROM pg_catalog.pg_stat_get_wal_receiver() WHERE pid IS NOT NULL) w) AS wal_receiver,
  (SELECT pg_catalog.json_agg(r) FROM (
     SELECT pid, usename, application_name, pg_catalog.host(client_addr) AS client_addr, state,
            sync_state, sync_priority, write_lsn::text AS write_lsn, flush_lsn::text AS flush_lsn,
            replay_lsn::text AS replay_lsn
     FROM pg_catalog.pg_stat_replication) r) AS replication,
  (SELECT timeline_id FROM pg_catalog.pg_control_checkpoint()) AS checkpoint_timeline,
  (SELECT pg_catalog.json_agg(s) FROM (
     SELECT slot_name, slot_type, plugin, database, active,
            pg_catalog.pg_wal_lsn_diff(confirmed_flush_lsn, '0/0')::bigint AS confirmed_flush_lsn
     FROM pg_catalog.pg_replication_slots WHERE NOT temporary) s) AS slots
`;

export interface MonitorRow {
  in_recovery: boolean;
  timeline: number;
  wal_position: string | null;
  receive_lsn: string | null;
  replay_lsn: string | null;
  replay_paused: boolean;
  postmaster_start_time: string | null;
  /** `pg_last_xact_replay_timestamp()` in UTC; null on a primary or before any replay. */
  replayed_timestamp: string | null;
  server_version: number;
  system_identifier: string | null;
  sync_standby_names: string;
  synchronous_commit: string;
  pending_restart: boolean;
  wal_receiver: {
    received_tli: number | null;
    slot_name: string | null;
    conninfo: string | null;
    status: string | null;
  } | null;
  replication: RawReplicationRow[] | null;
  checkpoint_timeline: number | null;
  slots: RawSlotRow[] | null;
}

export interface RawSlotRow {
  slot_name: string;
  slot_type: string;
  plugin: string | null;
  database: string | null;
  active: boolean;
  /** A bigint: a number inside JSON, a string from a plain query. */
  confirmed_flush_lsn?: number | string | null;
}

interface RawReplicationRow {
  pid: number;
  usename: string | null;
  application_name: string | null;
  client_addr: string | null;
  state: string | null;
  sync_state: string | null;
  sync_priority: number | null;
  write_lsn: string | null;
  flush_lsn: string | null;
  replay_lsn: string | null;
}

export function existingSlots(raw: readonly RawSlotRow[] | null): ExistingSlot[] {
  return (raw ?? []).map((r) => ({
    name: r.slot_name,
    type: r.slot_type === 'logical' ? 'logical' : 'physical',
    plugin: r.plugin,
    database: r.database,
    active: r.active,
    confirmedFlushLsn: bigintOrNull(r.confirmed_flush_lsn),
  }));
}

function bigintOrNull(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

export function lsnOrNull(text: string | null | undefined): Lsn | null {
  return text === null || text === undefined ? null : parseLsn(text);
}

export function replicationRows(raw: RawReplicationRow[] | null): ReplicationRow[] {
  return (raw ?? []).map((r) => ({
    pid: r.pid,
    usename: r.usename ?? '',
    applicationName: r.application_name ?? '',
    clientAddr: r.client_addr,
    state: r.state ?? '',
    syncState: r.sync_state ?? '',
    syncPriority: r.sync_priority ?? 0,
    writeLsn: lsnOrNull(r.write_lsn),
    flushLsn: lsnOrNull(r.flush_lsn),
    replayLsn: lsnOrNull(r.replay_lsn),
  }));
}
