import type { ClusterSnapshot } from '../../model/cluster.js';
import type { Member } from '../../model/member.js';
import { NO_TAGS } from '../../model/tags.js';
import type { Cycle, Plan } from '../context.js';
import type { FailsafePing, HaInput } from '../input.js';
import type { KnownMember } from '../memory.js';
import type { PeerRef } from '../peer-status.js';

/**
 * `check_failsafe_topology()` (§9.3): during a DCS outage a primary may stay up only if it is in
 * the last `/failsafe` map and every other member listed there accepts its `POST /failsafe`, so
 * no replica can be racing for the lock behind its back.
 */
export function checkFailsafeTopology(p: Plan): boolean {
  const topology = p.memory.failsafeTopology;
  if (topology === null || !Object.hasOwn(topology, p.me)) return false;
  const peers: PeerRef[] = [];
  for (const [name, apiUrl] of Object.entries(topology)) {
    if (name === p.me) continue;
    if (apiUrl === null) return false;
    peers.push({ name, apiUrl });
  }
  return peers.length === 0 || p.failsafeAccepted(peers);
}

/**
 * §6.1 row 9: with failsafe mode, a node missing from a non-empty `/failsafe` map may not race
 * (null), and the nodes listed there are asked too (they may have lost their member keys).
 */
export function failsafeRaceMembers(c: Cycle): KnownMember[] | null {
  const map = c.cluster.failsafe;
  if (!c.input.settings.failsafeMode || map === null) return [];
  const names = Object.keys(map);
  if (names.length > 0 && !names.includes(c.me)) return null;
  return names.map((name) => ({ name, apiUrl: map[name] ?? null, nofailover: false }));
}

function remoteMember(name: string, connUrl: string | null, apiUrl: string | null): Member {
  return {
    name,
    connUrl,
    apiUrl,
    state: 'running',
    role: 'primary',
    version: null,
    xlogLocation: null,
    timeline: null,
    tags: NO_TAGS,
    pendingRestart: false,
    scheduledRestart: null,
    pause: false,
    checkpointAfterPromote: null,
    proxyUrl: null,
    replicationState: null,
    index: 0,
    session: null,
    data: {},
  };
}

/**
 * §9.4: a replica pinged by a primary that lost the DCS keeps following it for `ttl` seconds
 * instead of racing: the ping stands in for the expired leader key, and its `slots` for the
 * published slot positions.
 */
export function withFailsafeLeader(input: HaInput, cluster: ClusterSnapshot): ClusterSnapshot {
  if (cluster.leader !== null || !input.settings.failsafeMode) return cluster;
  return withFailsafePing(
    cluster,
    input.failsafePing ?? null,
    input.self.name,
    input.now,
    input.settings.ttl,
  );
}

/**
 * `Failsafe.update_cluster`: while a primary's ping is younger than `ttl` seconds, it is the
 * leader and its `slots` are the slot positions (none sent: none), whatever the cluster said.
 */
export function withFailsafePing(
  cluster: ClusterSnapshot,
  ping: FailsafePing | null,
  selfName: string,
  now: number,
  ttlSeconds: number,
): ClusterSnapshot {
  if (!failsafePingFresh(ping, now, ttlSeconds) || ping.name === selfName) return cluster;
  const member = remoteMember(ping.name, ping.connUrl, ping.apiUrl);
  const slots = ping.slots ?? {};
  return { ...cluster, leader: { name: ping.name, index: 0, session: null, member }, slots };
}

/** `Failsafe.is_active()` on a replica: a primary pinged us within `ttl` seconds. */
export function failsafePingFresh(
  ping: FailsafePing | null,
  now: number,
  ttlSeconds: number,
): ping is FailsafePing {
  return ping !== null && now - ping.receivedAt < ttlSeconds * 1000;
}
