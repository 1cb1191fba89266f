import type { Lsn } from '../../model/lsn.js';
import type { ReplicationRow } from '../../model/local-pg.js';
import type { Cycle, Plan } from '../context.js';
import { parseSyncStandbyNames, renderSyncStandbyNames } from '../sync-names.js';

/** `synchronous_mode` is on (§8.1). */
export function syncMode(p: Plan): boolean {
  // Meaningless in a standby cluster: 3.0.2 applies it anyway, a bug fixed in 3.2.0 (§17).
  return p.input.settings.synchronousMode && p.standby === null;
}

/** 3.0.2 `SyncState.matches`: the `/sync` leader or one of its standbys (case-sensitive). */
export function syncMatches(c: Cycle, name: string): boolean {
  const s = c.cluster.sync;
  return s.leader !== null && (s.leader === name || s.syncStandbys.includes(name));
}

/** Synchronous mode with a non-empty `/sync`: only its members may become primary (§8.5). */
export function syncGateActive(c: Cycle): boolean {
  return syncMode(c) && c.cluster.sync.leader !== null;
}

/**
 * Clears `synchronous_standby_names` when PostgreSQL stops being (or is about to become) primary;
 * a promotion in strict mode starts with `*` so no commit is acknowledged by nobody.
 */
export function resetSyncStandbyNames(c: Plan, promoting: boolean): void {
  if (!syncMode(c)) return;
  const value = promoting && c.input.settings.synchronousModeStrict ? '*' : null;
  c.add({ type: 'setSynchronousStandbyNames', value });
}

/**
 * The value PostgreSQL holds, null when unset: `current_setting` shows an unset parameter as '',
 * and taking that for a value made every idle cycle ask to clear it again.
 */
function heldNames(c: Cycle): string | null {
  const ssn = c.input.pg.syncStandbyNames;
  return ssn === '' ? null : ssn;
}

const SYNC_RANK: Readonly<Record<string, number>> = { sync: 3, quorum: 2, potential: 1 };

interface Pick {
  readonly picked: string[];
  readonly allow: string[];
}

/** Forgets confirmations when the names change, and remembers where WAL was then (§8.2 step 1). */
function trackNames(c: Cycle): readonly string[] {
  const ssn = heldNames(c);
  const names = parseSyncStandbyNames(ssn);
  const mem = c.memory.sync;
  if (ssn !== mem.ssnSeen) {
    c.memory.sync = {
      ssnSeen: ssn,
      flushLsn: c.lastOperation ?? 0,
      ready: mem.ready.filter((n) => names.includes(n)),
    };
  }
  return names;
}

/** `SyncHandler.current_state` (§8.2): standbys to name (picked) and those truly sync (allow). */
export function currentSyncState(c: Cycle): Pick {
  const names = trackNames(c).map((n) => n.toLowerCase());
  const listed = c.cluster.sync.syncStandbys;
  const members = new Map(c.cluster.members.map((m) => [m.name.toLowerCase(), m]));
  const column = lsnColumn(c.input.pg.synchronousCommit);
  const rows = c.input.pg.replication
    .filter((r) => r.state === 'streaming')
    .map((r) => ({ row: r, pos: column(r), member: members.get(r.applicationName.toLowerCase()) }))
    .filter((x): x is typeof x & { pos: Lsn } => x.pos !== null)
    .filter((x) => x.member !== undefined && x.member.state === 'running' && !x.member.tags.nosync)
    .sort((a, b) => rank(b.row) - rank(a.row) || b.pos - a.pos)
    .sort((a, b) => Number(a.member?.tags.nofailover) - Number(b.member?.tags.nofailover));
  const maxLsn = rows.length >= 2 ? Math.max(...rows.map((x) => x.pos)) : (c.lastOperation ?? 0);
  const maxLag = c.input.settings.maximumLagOnSyncnode;
  const ready = new Set(c.memory.sync.ready);
  const out: Pick = { picked: [], allow: [] };
  for (const { row, pos, member } of rows) {
    const name = member?.name ?? row.applicationName;
    const isSync = row.syncState === 'sync';
    const confirmed = listed.includes(name) || (isSync && pos >= c.memory.sync.flushLsn);
    if (names.includes(name.toLowerCase()) && confirmed) ready.add(name);
    if (maxLag <= 0 || maxLsn - pos <= maxLag) {
      out.picked.push(name);
      if (isSync && ready.has(name)) out.allow.push(name);
    }
    if (out.picked.length >= c.input.settings.synchronousNodeCount) break;
  }
  c.memory.sync = { ...c.memory.sync, ready: [...ready] };
  return out;
}

function rank(r: ReplicationRow): number {
  return SYNC_RANK[r.syncState] ?? 0;
}

/**
 * The standby position a commit waits for under this `synchronous_commit`: a standby that
 * receives but does not replay (paused, stuck on a lock) holds up `remote_apply` commits while
 * its flush position looks current, so the pick must rank and measure lag on replay then.
 */
function lsnColumn(synchronousCommit: string | null): (r: ReplicationRow) => Lsn | null {
  if (synchronousCommit === 'remote_apply') return (r) => r.replayLsn;
  if (synchronousCommit === 'remote_write') return (r) => r.writeLsn;
  return (r) => r.flushLsn;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/**
 * `process_sync_replication` (§8.4), one step per cycle: shrink `/sync` before naming new
 * standbys, and add a standby to `/sync` only once PostgreSQL reports it synchronous.
 */
export function processSyncReplication(c: Cycle): void {
  const sync = c.cluster.sync;
  if (!syncMode(c)) {
    if (sync.leader !== null) {
      c.say('info', 'Disabled synchronous replication');
      c.add({ type: 'deleteSyncState', index: sync.index });
    }
    if (heldNames(c) !== null) {
      c.add({ type: 'setSynchronousStandbyNames', value: null });
    }
    return;
  }
  const current = sync.leader === null ? [] : sync.syncStandbys;
  const { picked, allow } = currentSyncState(c);
  if (sameSet(picked, current)) return;
  const common = current.filter((n) => allow.includes(n));
  let wrote = false;
  if (!sameSet(common, current)) {
    c.say(
      'info',
      `Updating synchronous privilege temporarily from ${list(current)} to ${list(common)}`,
    );
    if (!c.writeSyncState(common)) {
      c.say('info', 'Synchronous replication key updated by someone else.');
      return;
    }
    wrote = true;
  }
  let names = picked;
  if (c.input.settings.synchronousModeStrict && names.length === 0) {
    names = ['*'];
    c.say('warning', 'No standbys available!');
  }
  c.say('info', `Assigning synchronous standby status to ${list(names)}`);
  const value = renderSyncStandbyNames(names);
  if (value !== heldNames(c)) c.add({ type: 'setSynchronousStandbyNames', value });
  if (wrote || allow.length === 0 || sameSet(allow, common)) return;
  if (sync.leader !== null && sync.leader !== c.me) {
    c.say('info', 'Synchronous replication key updated by someone else');
  } else if (c.writeSyncState(allow)) {
    c.say('info', `Synchronous standby status assigned to ${list(allow)}`);
  } else {
    c.say('info', 'Synchronous replication key updated by someone else');
  }
}

/** Python's repr of a list of names, as Patroni logs it. */
function list(names: readonly string[]): string {
  return `[${names.map((n) => `'${n}'`).join(', ')}]`;
}
