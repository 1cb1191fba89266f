import type { Query } from '../core/ha/decision.js';
import type { QueryAnswers, SelfIdentity } from '../core/ha/input.js';
import { parsePeerStatus, type PeerStatus } from '../core/ha/peer-status.js';
import type { Dcs } from '../dcs/index.js';
import type { Lsn } from '../core/model/lsn.js';
import { assertNever } from '../shared/errors.js';
import type { Postgresql } from '../postgres/postgresql.js';
import type { PeerClient } from './peer-client.js';
import type { WatchdogPort } from './watchdog-port.js';
import type { LeaseHooks } from './lease/keeper.js';

export interface QueryDeps {
  readonly dcs: Dcs;
  readonly pg: Postgresql;
  readonly peers: PeerClient;
  readonly self: SelfIdentity;
  readonly watchdog?: WatchdogPort | undefined;
  /** The primary's permanent logical slot positions for `/status.slots` (null: none). */
  readonly publishedSlots?: () => Promise<Readonly<Record<string, Lsn>> | null>;
  /** The leader lease keeper: told of every lock the loop takes or keeps, and of every loss. */
  readonly lease?: LeaseHooks | undefined;
}

/**
 * Answers one question of the core. DCS errors propagate: the cycle turns them into
 * `dcs.reachable = false` and decides again, exactly as Patroni's DCSError path does.
 */
export async function answerQuery(
  q: Query,
  answers: QueryAnswers,
  d: QueryDeps,
): Promise<QueryAnswers> {
  switch (q.kind) {
    case 'peerStatus': {
      const results = await Promise.all(
        q.members.map(
          async (m) => [m.name, parsePeerStatus(await d.peers.getStatus(m.apiUrl))] as const,
        ),
      );
      const peers: Record<string, PeerStatus | null> = { ...answers.peers };
      for (const [name, status] of results) peers[name] = status;
      return { ...answers, peers };
    }
    case 'acquireLock':
      return { ...answers, lockAcquired: await leased(d, () => d.dcs.attemptToAcquireLeader()) };
    case 'refreshLock':
      return {
        ...answers,
        lockRefreshed: await leased(d, async () =>
          d.dcs.updateLeader(
            q.lastLsn,
            q.lastLsn === null ? null : ((await d.publishedSlots?.()) ?? null),
            q.failsafe,
          ),
        ),
      };
    case 'raceInitialize':
      return { ...answers, initializeWon: await d.dcs.initialize(true, '') };
    case 'checkDivergence': {
      if (q.leader.connUrl === null) return { ...answers, divergence: 'unknown' };
      const result = await d.pg.checkDivergence({ name: q.leader.name, connUrl: q.leader.connUrl });
      const divergence =
        result.verdict === 'need' ? 'need' : result.verdict === 'not_need' ? 'notNeed' : 'unknown';
      return { ...answers, divergence };
    }
    case 'failsafePing': {
      // `slots`: replicas keep advancing their logical slot copies from these while the DCS is down.
      const slots = (await d.publishedSlots?.().catch(() => null)) ?? null;
      const body = {
        name: d.self.name,
        conn_url: d.self.connUrl,
        api_url: d.self.apiUrl,
        ...(slots === null ? {} : { slots }),
      };
      const accepted = await Promise.all(
        q.members.map(async (m) => {
          // Patroni retries a failsafe ping once: one lost packet must not demote a primary.
          for (let attempt = 0; attempt < 2; attempt++) {
            const res = await d.peers.post(m.apiUrl, 'failsafe', body);
            if (res !== null) return res.status === 200 && res.body.trim() === 'Accepted';
          }
          return false;
        }),
      );
      return { ...answers, failsafeAccepted: accepted.every(Boolean) };
    }
    case 'writeSyncState': {
      const value = { leader: q.leader, syncStandbys: q.syncStandbys };
      const written = await d.dcs.setSyncStateValue(value, q.index);
      return { ...answers, syncStateWritten: written !== false };
    }
    case 'activateWatchdog':
      return { ...answers, watchdogActivated: d.watchdog?.activate() ?? true };
    default:
      return assertNever(q, 'query');
  }
}

/**
 * A take or a refresh of the lock, as the keeper must know it: stamped before it is sent (the
 * lease counts from then), refused while the keeper has fenced this leader (the loop must demote
 * first), and a loss stops the keeper's renewals at once.
 */
async function leased(d: QueryDeps, call: () => Promise<boolean>): Promise<boolean> {
  const lease = d.lease;
  if (lease === undefined) return call();
  if (lease.mustDemote) return false;
  const sentAt = lease.stamp();
  const mine = await call();
  if (mine) lease.confirmed(sentAt);
  else lease.release();
  return mine;
}
