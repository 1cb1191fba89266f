/** The DCS timings a cluster bootstraps with (bootstrap.dcs), the same for both systems. */
export interface Profile {
  readonly name: string;
  readonly ttl: number;
  readonly loopWait: number;
  readonly retryTimeout: number;
}

export const PROFILES: Readonly<Record<string, Profile>> = {
  default: { name: 'default', ttl: 30, loopWait: 10, retryTimeout: 10 },
  // ttl 20: the shortest patroni-ts took before its lease keeper (the Patroni 3.2+ floor).
  fast: { name: 'fast', ttl: 20, loopWait: 2, retryTimeout: 5 },
  // The fast profile of the lease keeper (issue 17, README "Fast failover"): Patroni 3.0.2 takes
  // ttl 6 as it is; patroni-ts since its lease keeper and commit gate (ttl floor 4).
  lease: { name: 'lease', ttl: 6, loopWait: 1, retryTimeout: 2 },
  // The shortest lease patroni-ts takes (README "Fast failover"): the key expires 3-4 s after a
  // kill -9; the leader fences itself after 3 s without a confirmed renewal (DCS latency
  // tolerated: 1 s, the whole retry_timeout).
  lease4: { name: 'lease4', ttl: 4, loopWait: 1, retryTimeout: 1 },
};

export function describeProfile(p: Profile): string {
  return `${p.name} (ttl ${p.ttl}, loop_wait ${p.loopWait}, retry_timeout ${p.retryTimeout})`;
}
