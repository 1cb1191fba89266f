import type {
  ClusterConfig,
  FailoverRequest,
  Lsn,
  SyncState,
  TimelineHistory,
  TimelineHistoryLine,
} from '../../core/model/index.js';
import { EMPTY_SYNC } from '../../core/model/index.js';
import { compact, isObject, parseJson, parseObject, toInt, toStr } from './json.js';

/** What a writer asks for in `failover`; all fields optional, `{}` clears the request. */
export interface FailoverValue {
  readonly leader?: string | null;
  readonly candidate?: string | null;
  /** ISO-8601 with timezone. */
  readonly scheduledAt?: string | null;
}

/** `{"leader":L,"member":C,"scheduled_at":T}` with only the fields given (Patroni's order). */
export function encodeFailover(value: FailoverValue): string {
  const out: Record<string, string> = {};
  if (value.leader) out['leader'] = value.leader;
  if (value.candidate) out['member'] = value.candidate;
  if (value.scheduledAt) out['scheduled_at'] = value.scheduledAt;
  return compact(out);
}

/** Reads JSON or the legacy `leader:candidate` text form; null when the text says nothing. */
export function decodeFailover(value: string, index: number): FailoverRequest | null {
  const parsed = parseJson(value);
  if (parsed === undefined && value.length > 0) {
    const [leader = '', candidate = ''] = value.split(':').map((s) => s.trim());
    if (leader === '' && candidate === '') return null;
    return { leader: leader || null, candidate: candidate || null, scheduledAt: null, index };
  }
  const data = isObject(parsed) ? parsed : {};
  return {
    leader: toStr(data['leader']) || null,
    candidate: toStr(data['member']) || null,
    scheduledAt: toStr(data['scheduled_at']) || null,
    index,
  };
}

/** What a leader writes to `sync`: standby names are sorted and comma-joined, or null. */
export interface SyncValue {
  readonly leader: string;
  readonly syncStandbys: readonly string[];
  /** 4.x only; omitted when undefined (3.0.2 form). */
  readonly quorum?: number;
}

export function encodeSync(value: SyncValue): string {
  const names = [...value.syncStandbys].sort();
  const out: Record<string, unknown> = { leader: value.leader };
  if (value.quorum !== undefined) out['quorum'] = value.quorum;
  out['sync_standby'] = names.length > 0 ? names.join(',') : null;
  return compact(out);
}

export function decodeSync(value: string, index: number): SyncState {
  const data = parseObject(value);
  if (data === null) return { ...EMPTY_SYNC, index };
  const standbys = toStr(data['sync_standby']);
  return {
    leader: toStr(data['leader']),
    syncStandbys: standbys
      ? standbys
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '')
      : [],
    quorum: toInt(data['quorum']),
    index,
  };
}

export function encodeHistory(lines: readonly TimelineHistoryLine[]): string {
  return compact(lines);
}

function decodeHistoryLine(line: unknown): TimelineHistoryLine | null {
  if (!Array.isArray(line) || line.length < 3) return null;
  const [tli, lsn, reason, ts, leader] = line as unknown[];
  const timeline = toInt(tli);
  const switchLsn = toInt(lsn);
  if (timeline === null || switchLsn === null) return null;
  const text = typeof reason === 'string' ? reason : String(reason);
  if (typeof ts !== 'string') return [timeline, switchLsn, text];
  if (typeof leader !== 'string') return [timeline, switchLsn, text, ts];
  return [timeline, switchLsn, text, ts, leader];
}

/** null for garbage, so that the cluster timeline reads as 0 ("unknown"), as in Patroni. */
export function decodeHistory(value: string, index: number): TimelineHistory | null {
  const parsed = parseJson(value);
  if (!Array.isArray(parsed)) return null;
  const lines: TimelineHistoryLine[] = [];
  for (const raw of parsed as unknown[]) {
    const line = decodeHistoryLine(raw);
    if (line === null) return null;
    lines.push(line);
  }
  return { lines, index };
}

/** `status`: the leader's WAL position and permanent logical slot positions. */
export interface StatusValue {
  readonly optime: Lsn;
  readonly slots?: Readonly<Record<string, Lsn>> | null;
}

export function encodeStatus(value: StatusValue): string {
  const out: Record<string, unknown> = { optime: value.optime };
  if (value.slots && Object.keys(value.slots).length > 0) out['slots'] = value.slots;
  return compact(out);
}

export interface DecodedStatus {
  readonly optime: Lsn | null;
  readonly slots: Readonly<Record<string, Lsn>>;
}

export function decodeStatus(value: string): DecodedStatus {
  const parsed = parseJson(value);
  // A bare integer is the legacy form newer Patroni versions still accept.
  if (typeof parsed === 'number') return { optime: toInt(parsed), slots: {} };
  if (!isObject(parsed)) return { optime: null, slots: {} };
  const slots: Record<string, Lsn> = {};
  const raw = parsed['slots'];
  if (isObject(raw)) {
    for (const [name, lsn] of Object.entries(raw)) {
      const n = toInt(lsn);
      if (n !== null) slots[name] = n;
    }
  }
  return { optime: toInt(parsed['optime']), slots };
}

export type FailsafeValue = Readonly<Record<string, string | null>>;

export function encodeFailsafe(value: FailsafeValue): string {
  return compact(value);
}

export function decodeFailsafe(value: string): FailsafeValue | null {
  const data = parseObject(value);
  if (data === null) return null;
  const out: Record<string, string | null> = {};
  for (const [name, url] of Object.entries(data)) out[name] = toStr(url);
  return out;
}

/** Invalid JSON reads as `{}` with index 0: "no valid config". */
export function decodeConfig(value: string, index: number): ClusterConfig {
  const data = parseObject(value);
  return data === null ? { data: {}, index: 0 } : { data, index };
}

export function encodeConfig(value: Readonly<Record<string, unknown>>): string {
  return compact(value);
}
