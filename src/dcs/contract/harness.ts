import type { Dcs } from '../port.js';

/** Timing a contract test asks for; seconds, small so that expiry tests stay fast. */
export interface ClientTiming {
  readonly ttl?: number;
  readonly loopWait?: number;
  readonly retryTimeout?: number;
}

/**
 * What the contract suite needs from one adapter, for one test (a fresh scope each time).
 * Time is the harness's business: the memory store advances a manual clock, etcd lets real
 * time pass.
 */
export interface ContractHarness {
  /** The scope's base path, e.g. `/service/<scope>`. */
  readonly basePath: string;
  /** A new client (node) of the test's cluster. */
  client(name: string, timing?: ClientTiming): Promise<Dcs>;
  /** Lets `ms` of time pass. */
  advance(ms: number): Promise<void>;
  /** Raw view of a key as any other DCS user would see it (absolute key); null when absent. */
  rawGet(key: string): Promise<string | null>;
  /** A raw write, as etcdctl or a Patroni 3.0.2 node would do it (absolute key, no lease). */
  rawPut(key: string, value: string): Promise<void>;
  /**
   * Makes a client stop keeping its lease alive, as a hung node does, until the returned
   * function is called. Leave it out where a lease lives only by the client's own refresh calls
   * (etcd, memory): not calling them is enough. A ZooKeeper client keeps its session alive by
   * itself, so its harness cuts the client off from the server instead.
   */
  hang?(client: Dcs): Promise<() => Promise<void>>;
  /**
   * Sessions are TTLs (etcd v2: a key's seconds left, as Patroni's v2 `Member.session`), not
   * lease IDs: keys written together show the same session give or take a second.
   */
  readonly sessionIsTtl?: boolean;
  /** Closes every client and frees what the test created. */
  cleanup(): Promise<void>;
}

export type HarnessFactory = (scope: string) => Promise<ContractHarness>;

/** Advances time in steps until `check` holds or `budgetMs` has passed; returns the last check. */
export async function eventually(
  h: ContractHarness,
  check: () => Promise<boolean>,
  budgetMs: number,
  stepMs = 250,
): Promise<boolean> {
  for (let spent = 0; spent <= budgetMs; spent += stepMs) {
    if (await check()) return true;
    await h.advance(stepMs);
  }
  return check();
}
