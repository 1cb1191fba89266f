import type { ClusterSnapshot } from '../model/cluster.js';
import type { Member } from '../model/member.js';
import { isPaused } from '../model/cluster.js';
import type { Lsn } from '../model/lsn.js';
import type { Action, LogLevel, LogLine, Query } from './decision.js';
import type { DivergenceVerdict, FollowTarget, HaInput } from './input.js';
import type { HaMemory } from './memory.js';
import type { PeerRef, PeerStatus } from './peer-status.js';
import type { RacePeer, RaceRefusal, RaceReport } from './race.js';
import { parseStandbyCluster, type StandbyClusterConfig } from './standby.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Thrown by a step that needs an answer it does not have yet; `decide` turns it into a decision
 * carrying the query. It never escapes `decide`, so the function stays total and pure.
 */
export class NeedAnswer extends Error {
  constructor(readonly query: Query) {
    super(`need an answer to ${query.kind}`);
  }
}

/**
 * The working state of one `decide` call: the plan being built (actions, log lines, next memory)
 * and accessors for answers. Local to one call, so mutating it keeps `decide` pure.
 */
export class Plan {
  readonly actions: Action[] = [];
  readonly log: LogLine[] = [];
  readonly memory: Mutable<HaMemory>;

  constructor(readonly input: HaInput) {
    this.memory = { ...input.memory };
  }

  get now(): number {
    return this.input.now;
  }

  get me(): string {
    return this.input.self.name;
  }

  get ttlMs(): number {
    return this.input.settings.ttl * 1000;
  }

  /** The leader race of this cycle as the race steps record it; null when none ran. */
  race: { raced: boolean; refusal: RaceRefusal | null; peers: RacePeer[] } | null = null;

  /** Starts recording a leader race (nobody holds the lock). */
  beginRace(): void {
    this.race ??= { raced: false, refusal: null, peers: [] };
  }

  /** Records why we did not race; the first (innermost) reason found wins. */
  refuseRace(refusal: RaceRefusal): void {
    if (this.race !== null) this.race.refusal ??= refusal;
  }

  /** Records how a peer compared (its latest verdict when asked twice). */
  notePeer(peer: RacePeer): void {
    if (this.race === null) return;
    const i = this.race.peers.findIndex((p) => p.name === peer.name);
    if (i >= 0) this.race.peers[i] = peer;
    else this.race.peers.push(peer);
  }

  /** The race report for the decision. */
  get raceReport(): RaceReport | null {
    return this.race;
  }

  add(...actions: Action[]): void {
    this.actions.push(...actions);
  }

  say(level: LogLevel, message: string): void {
    this.log.push({ level, message });
  }

  /** A postmaster is alive (`Postgresql.is_running`). */
  get pgRunning(): boolean {
    return this.input.pg.postmasterRunning;
  }

  /** Running and not in recovery (`Postgresql.is_primary`). */
  get pgPrimary(): boolean {
    return this.input.pg.postmasterRunning && this.input.pg.inRecovery === false;
  }

  /** `last_operation()`: primary -> current WAL position; replica -> max(received, replayed). */
  get lastOperation(): Lsn | null {
    const pg = this.input.pg;
    if (this.pgPrimary) return pg.walPosition;
    if (pg.receiveLsn === null && pg.replayLsn === null) return null;
    return Math.max(pg.receiveLsn ?? 0, pg.replayLsn ?? 0);
  }

  /**
   * The standby-cluster settings in force (§17): from the snapshot's valid `config` key, else from
   * the local cache; null for a normal cluster.
   */
  get standby(): StandbyClusterConfig | null {
    const dcs = this.input.dcs;
    if (dcs.reachable && dcs.cluster.config !== null && dcs.cluster.config.index > 0) {
      return parseStandbyCluster(dcs.cluster.config.data['standby_cluster']);
    }
    return this.input.local.standbyCluster;
  }

  /** `set_is_leader(True)`: REST may call us leader for one TTL. */
  setLeader(): void {
    this.memory.leaderUntil = this.now + this.ttlMs;
  }

  /** `set_is_leader(False)`. */
  clearLeader(): void {
    this.memory.leaderUntil = 0;
  }

  /** This plan disarms the watchdog: nothing after that pings it. */
  private watchdogDisabled = false;

  /** `Watchdog.keepalive()`: ping an armed watchdog (with each leader-key refresh). */
  keepWatchdogAlive(): void {
    if (this.input.watchdog?.running !== true || this.watchdogDisabled) return;
    this.add({ type: 'watchdogKeepalive' });
  }

  /** `Watchdog.disable()`: disarm it when it is armed. */
  disableWatchdog(): void {
    const wd = this.input.watchdog;
    if (wd?.running !== true || this.watchdogDisabled) return;
    this.watchdogDisabled = true;
    this.add({ type: 'disableWatchdog' });
  }

  /**
   * `Watchdog.activate()` where it would do something: false when a required watchdog could not
   * be armed safely. Already running, or nothing to arm: true without asking.
   */
  activateWatchdog(): boolean {
    const wd = this.input.watchdog;
    if (wd === undefined || wd.running || wd.inert) return true;
    const ok = this.input.answers.watchdogActivated;
    if (ok === undefined) throw new NeedAnswer({ kind: 'activateWatchdog' });
    return ok;
  }

  /** Statuses of the given peers, asking the shell for them first if needed. */
  peers(members: readonly PeerRef[]): ReadonlyMap<string, PeerStatus | null> {
    const known = this.input.answers.peers ?? {};
    const missing = members.filter((m) => !Object.hasOwn(known, m.name));
    if (missing.length > 0) throw new NeedAnswer({ kind: 'peerStatus', members: missing });
    return new Map(members.map((m) => [m.name, known[m.name] ?? null]));
  }

  /** We took the leader lock in this decision (the snapshot predates it). */
  acquired = false;

  acquireLock(): boolean {
    const got = this.input.answers.lockAcquired;
    if (got === undefined) throw new NeedAnswer({ kind: 'acquireLock' });
    if (got) this.setLeader();
    this.acquired = got;
    return got;
  }

  /** Whether every member of the failsafe topology accepted our `POST /failsafe`. */
  failsafeAccepted(members: readonly PeerRef[]): boolean {
    const ok = this.input.answers.failsafeAccepted;
    if (ok === undefined) throw new NeedAnswer({ kind: 'failsafePing', members });
    return ok;
  }

  raceInitialize(): boolean {
    const won = this.input.answers.initializeWon;
    if (won === undefined) throw new NeedAnswer({ kind: 'raceInitialize' });
    return won;
  }
}

/** A plan for a cycle in which the DCS answered with `cluster`. */
export class Cycle extends Plan {
  readonly paused: boolean;

  constructor(
    input: HaInput,
    readonly cluster: ClusterSnapshot,
  ) {
    super(input);
    // A wiped DCS (no valid config key) must not end a pause: the last value we saw decides.
    this.paused =
      cluster.config !== null && cluster.config.index > 0
        ? isPaused(cluster)
        : input.memory.wasPaused;
  }

  get hasLock(): boolean {
    return this.acquired || this.cluster.leader?.name === this.me;
  }

  get nofailover(): boolean {
    const t = this.input.self.tags;
    return t.nofailover || (t.failoverPriority !== undefined && t.failoverPriority <= 0);
  }

  refreshLock(): boolean {
    const ok = this.input.answers.lockRefreshed;
    if (ok === undefined) {
      const failsafe = this.input.settings.failsafeMode ? this.failsafeMap() : null;
      throw new NeedAnswer({ kind: 'refreshLock', lastLsn: this.lastOperation, failsafe });
    }
    if (ok) {
      this.setLeader();
      this.keepWatchdogAlive();
    } else this.clearLeader();
    return ok;
  }

  /** `/failsafe` as the leader publishes it (§2.10): every member key's api_url, plus us. */
  failsafeMap(): Record<string, string | null> {
    const map: Record<string, string | null> = {};
    for (const m of this.cluster.members) map[m.name] = m.apiUrl;
    map[this.me] ??= this.input.self.apiUrl;
    return map;
  }

  /** CAS write of `/sync` against the snapshot's revision; false when someone changed it. */
  writeSyncState(syncStandbys: readonly string[]): boolean {
    const ok = this.input.answers.syncStateWritten;
    if (ok === undefined) {
      const index = this.cluster.sync.index;
      throw new NeedAnswer({ kind: 'writeSyncState', leader: this.me, syncStandbys, index });
    }
    return ok;
  }

  member(name: string): Member | undefined {
    return this.cluster.members.find((m) => m.name === name);
  }

  divergence(leader: FollowTarget): DivergenceVerdict {
    const verdict = this.input.answers.divergence;
    if (verdict === undefined) throw new NeedAnswer({ kind: 'checkDivergence', leader });
    return verdict;
  }
}
