import type { Lsn, Member, MemberRole, ScheduledRestart, Tags } from '../../core/model/index.js';
import { compact, isObject, parseJson, toInt, toStr, type JsonObject } from './json.js';
import { decodeRole, encodeRole, type PrimaryRoleName } from './roles.js';
import { decodeTags, encodeTags } from './tags.js';

/**
 * What a node publishes about itself in `members/<name>` (spec/core.md §2.3), in our names.
 * Optional fields are written only when present, in Patroni's insertion order.
 */
export interface MemberData {
  readonly connUrl: string;
  readonly apiUrl: string;
  readonly state: string;
  readonly role: MemberRole;
  readonly version: string;
  readonly proxyUrl?: string;
  /** Only `false` is ever written: a new leader whose post-promote CHECKPOINT is pending. */
  readonly checkpointAfterPromote?: false;
  readonly tags?: Tags;
  readonly pendingRestart?: boolean;
  readonly xlogLocation?: Lsn;
  readonly timeline?: number;
  /** 3.0.4+ field; 3.0.2 peers ignore it. */
  readonly replicationState?: string;
  readonly scheduledRestart?: ScheduledRestart;
  readonly pause?: boolean;
}

export function encodeScheduledRestart(
  s: ScheduledRestart,
  primaryName: PrimaryRoleName,
): Record<string, unknown> {
  const out: Record<string, unknown> = { schedule: s.schedule };
  if (s.postmasterStartTime !== undefined) out['postmaster_start_time'] = s.postmasterStartTime;
  if (s.role !== undefined) out['role'] = encodeRole(s.role, primaryName);
  if (s.postgresVersion !== undefined) out['postgres_version'] = s.postgresVersion;
  if (s.restartPending !== undefined) out['restart_pending'] = s.restartPending;
  if (s.timeout !== undefined) out['timeout'] = s.timeout;
  return out;
}

/** The member value as Patroni 3.0.2's `touch_member` serializes it: compact, fixed order. */
export function encodeMember(data: MemberData, primaryName: PrimaryRoleName): string {
  const out: Record<string, unknown> = {
    conn_url: data.connUrl,
    api_url: data.apiUrl,
    state: data.state,
    role: encodeRole(data.role, primaryName),
    version: data.version,
  };
  if (data.proxyUrl !== undefined) out['proxy_url'] = data.proxyUrl;
  if (data.checkpointAfterPromote === false) out['checkpoint_after_promote'] = false;
  if (data.tags !== undefined) {
    const tags = encodeTags(data.tags);
    if (Object.keys(tags).length > 0) out['tags'] = tags;
  }
  if (data.pendingRestart === true) out['pending_restart'] = true;
  if (data.xlogLocation !== undefined) out['xlog_location'] = data.xlogLocation;
  if (data.replicationState !== undefined) out['replication_state'] = data.replicationState;
  if (data.timeline !== undefined) out['timeline'] = data.timeline;
  if (data.scheduledRestart !== undefined) {
    out['scheduled_restart'] = encodeScheduledRestart(data.scheduledRestart, primaryName);
  }
  if (data.pause === true) out['pause'] = true;
  return compact(out);
}

/**
 * Old Governor-style values are a connection URL whose `application_name` parameter carries
 * the api_url; Patroni still reads them, so do we.
 */
function legacyMemberData(value: string): JsonObject {
  const [connUrl, query = ''] = value.split('?', 2);
  const apiUrl = new URLSearchParams(query).get('application_name');
  return apiUrl === null ? { conn_url: connUrl } : { conn_url: connUrl, api_url: apiUrl };
}

export function memberDataOf(value: string): JsonObject {
  if (value.startsWith('postgres')) return legacyMemberData(value);
  const parsed = parseJson(value);
  return isObject(parsed) ? parsed : {};
}

function decodeScheduledRestart(value: unknown): ScheduledRestart | null {
  if (!isObject(value)) return null;
  const schedule = toStr(value['schedule']);
  if (schedule === null) return null;
  const pst = toStr(value['postmaster_start_time']);
  const role = decodeRole(value['role']);
  const version = toStr(value['postgres_version']);
  const pending = value['restart_pending'];
  const timeout = toInt(value['timeout']);
  return {
    schedule,
    ...(pst !== null ? { postmasterStartTime: pst } : {}),
    ...(role !== null ? { role } : {}),
    ...(version !== null ? { postgresVersion: version } : {}),
    ...(typeof pending === 'boolean' ? { restartPending: pending } : {}),
    ...(timeout !== null ? { timeout } : {}),
  };
}

/** `conn_url` falls back to `conn_kwargs` host/port, as `Member.conn_url` does. */
function connUrlOf(data: JsonObject): string | null {
  const url = toStr(data['conn_url']);
  if (url !== null) return url;
  const kw = data['conn_kwargs'];
  if (!isObject(kw)) return null;
  const host = toStr(kw['host']);
  if (host === null) return null;
  const port = toInt(kw['port']) ?? 5432;
  const db = toStr(kw['dbname']) ?? 'postgres';
  return `postgres://${host}:${port}/${db}`;
}

/** Reads a member key written by any Patroni version (or by us). */
export function decodeMember(
  name: string,
  value: string,
  index: number,
  session: string | null,
): Member {
  const data = memberDataOf(value);
  const cap = data['checkpoint_after_promote'];
  return {
    name,
    connUrl: connUrlOf(data),
    apiUrl: toStr(data['api_url']),
    state: toStr(data['state']),
    role: decodeRole(data['role']),
    version: toStr(data['version']),
    xlogLocation: toInt(data['xlog_location']),
    timeline: toInt(data['timeline']),
    tags: decodeTags(data['tags']),
    pendingRestart: data['pending_restart'] === true,
    scheduledRestart: decodeScheduledRestart(data['scheduled_restart']),
    pause: data['pause'] === true,
    checkpointAfterPromote: typeof cap === 'boolean' ? cap : null,
    proxyUrl: toStr(data['proxy_url']),
    replicationState: toStr(data['replication_state']),
    index,
    session,
    data,
  };
}

/** The stub Patroni binds the leader to when the leader has no member key. */
export function stubMember(name: string, index = 0, session: string | null = null): Member {
  return decodeMember(name, '{}', index, session);
}
