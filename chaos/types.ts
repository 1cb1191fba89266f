/**
 * The seams of the fault-injection suite (`make chaos`), agreed before its parts are built:
 * a topology (the system under test, in network namespaces), nemeses (faults it can suffer), a
 * workload with its recorded history, and checkers that judge that history. Each part lives in its
 * own folder (`chaos/topology`, `chaos/nemesis`, `chaos/workload`, `chaos/check`, `chaos/schedule`,
 * `chaos/report`) and meets the others only through these types.
 */

/** Which daemon runs the nodes: ours, or Debian's Patroni 3.0.2 (`/usr/bin/patroni`). */
export type SystemUnderTest = 'patroni-ts' | 'patroni';

/** How commits are acknowledged: `synchronous_mode: false` or `true` in bootstrap.dcs. */
export type ReplicationMode = 'async' | 'sync';

export interface TopologyOptions {
  readonly system: SystemUnderTest;
  readonly mode: ReplicationMode;
  /** bootstrap.dcs timings, the same for both systems. */
  readonly ttl: number;
  readonly loopWait: number;
  readonly retryTimeout: number;
  /** Extra bootstrap.dcs keys (e.g. failsafe_mode). */
  readonly dcsExtra?: Readonly<Record<string, unknown>>;
  /** Where logs and data go; the topology removes it on destroy unless `keep`. */
  readonly workDir?: string;
  readonly keep?: boolean;
  /**
   * Put each node's WAL on a tmpfs of this many MB (initdb/pg_basebackup `--waldir`), for the
   * full-disk nemesis; max_wal_size, wal_keep_size and max_slot_wal_keep_size are then a quarter
   * of it each. At least 128 (256 leaves room for replicas that fall behind). Default: no tmpfs.
   */
  readonly walTmpfsMb?: number;
}

export interface ChaosNode {
  /** Member name, e.g. `n1`. */
  readonly name: string;
  /** Its network namespace. */
  readonly ns: string;
  /** Its address on the lab bridge, where PostgreSQL and the REST API listen. */
  readonly address: string;
  readonly pgPort: number;
  readonly restPort: number;
  /** A libpq URL straight to this node's PostgreSQL (superuser), bypassing HAProxy. */
  readonly pgUrl: string;
  /** Pid of the HA daemon, or null when it is not running. */
  daemonPid(): number | null;
  /** Pid of the postmaster (from postmaster.pid), or null when PostgreSQL is down. */
  postmasterPid(): Promise<number | null>;
  /** Starts the daemon again after a kill (it then starts/recovers PostgreSQL itself). */
  startDaemon(): Promise<void>;
  /** The data directory, e.g. to put pg_wal on a small tmpfs. */
  readonly dataDir: string;
  /** The tmpfs holding this node's WAL, when the topology was started with `walTmpfsMb`. */
  readonly walDir?: string | undefined;
  /** The daemon's log (stdout and stderr, appended across restarts). */
  readonly logPath?: string;
}

export interface EtcdMember {
  readonly name: string;
  readonly clientUrl: string;
  pid(): number | null;
  kill(signal?: NodeJS.Signals): void;
  start(): Promise<void>;
}

/** A network or process fault applied to the topology; `heal` undoes exactly what `inject` did. */
export interface Topology {
  readonly options: TopologyOptions;
  readonly nodes: readonly ChaosNode[];
  readonly etcd: readonly EtcdMember[];
  /** Where clients connect: HAProxy's primary port (read-write), as in the demo. */
  readonly primaryUrl: string;
  /** The member holding the leader key now (read from the DCS), or null. */
  leader(): Promise<string | null>;
  /** The `/sync` key's standbys now (empty: none named, or no key). */
  syncStandbys(): Promise<readonly string[]>;
  /** Every node's view: role and state as `GET /patroni` reports them; null where unreachable. */
  status(): Promise<ReadonlyMap<string, { role: string; state: string; timeline?: number } | null>>;
  /** Network controls. A partition drops packets in both directions (nft, inside the namespace). */
  net: {
    /** Cut `node` off from the etcd members only (clients and peers still reach it). */
    isolateFromDcs(node: string): Promise<void>;
    /** Cut `node` off from everything (etcd, peers, HAProxy, clients). */
    isolate(node: string): Promise<void>;
    /** Latency on `node`'s etcd traffic through the userspace proxy: delay ± jitter, in ms. */
    dcsLatency(node: string, delayMs: number, jitterMs: number): Promise<void>;
    /** Remove every rule and delay on `node` (or on all nodes without an argument). */
    heal(node?: string): Promise<void>;
  };
  /** True when every node is running, streaming from one leader, and the DCS agrees. */
  healthy(): Promise<boolean>;
  destroy(): Promise<void>;
}

export interface Nemesis {
  /** A stable name for the results table, e.g. `kill-leader-daemon`. */
  readonly name: string;
  /** Whether this fault targets the leader (a leader change after it is not a false failover). */
  readonly hitsLeader: boolean;
  /**
   * Waits, within a bound of its own, until the fault can be injected (e.g. a synchronous standby
   * to switch over to, which a restarted primary names a few cycles after its replicas stream);
   * throws when it cannot. Runs before the fault's clock starts.
   */
  prepare?(t: Topology): Promise<void>;
  /** Applies the fault; returns what heal needs (e.g. which node was hit). */
  inject(t: Topology, rng: () => number): Promise<FaultHandle>;
}

export interface FaultHandle {
  /** Member names the fault targeted (empty for etcd-only faults). */
  readonly targets: readonly string[];
  /** Free text for the log, e.g. `SIGSTOP daemon of n2`. */
  readonly description: string;
  heal(): Promise<void>;
}

/** One event of the run's history, in monotonic milliseconds since the run began. */
export type HistoryEvent =
  | { readonly at: number; readonly kind: 'ack'; readonly id: number; readonly writer: number }
  | {
      readonly at: number;
      readonly kind: 'write-error';
      readonly id: number;
      readonly error: string;
    }
  | {
      readonly at: number;
      readonly kind: 'probe-write';
      readonly node: string;
      readonly ok: boolean;
    }
  | {
      readonly at: number;
      readonly kind: 'fault';
      readonly nemesis: string;
      readonly description: string;
      /** The handle's targets, and the nemesis's `hitsLeader`, so that checkers need no registry. */
      readonly targets?: readonly string[];
      readonly hitsLeader?: boolean;
      /** The schedule step that injected it. */
      readonly step?: number;
    }
  | { readonly at: number; readonly kind: 'heal'; readonly nemesis: string }
  | { readonly at: number; readonly kind: 'leader'; readonly member: string | null }
  /** The synchronous standbys the `/sync` key names, each time they change. */
  | { readonly at: number; readonly kind: 'sync'; readonly standbys: readonly string[] }
  | { readonly at: number; readonly kind: 'healthy' }
  /** The settle time after healthy is over: the next fault may come. */
  | { readonly at: number; readonly kind: 'settled' };
