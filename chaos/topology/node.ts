/** One node of the topology: a TestNode (daemon + PostgreSQL) placed in its namespace. */
import { SUPERUSER_PASSWORD, type TestNode } from '../../test/support/cluster.js';
import type { ChaosNode } from '../types.js';
import { alive, childrenOf, signal } from './processes.js';

export class TopologyNode implements ChaosNode {
  readonly name: string;
  readonly address: string;
  readonly pgPort: number;
  readonly restPort: number;
  readonly pgUrl: string;
  readonly dataDir: string;
  readonly logPath: string;
  readonly restBase: string;

  constructor(
    /** The harness node, for what the chaos seam does not cover (sql, REST calls). */
    readonly test: TestNode,
    readonly ns: string,
    readonly walDir: string | undefined,
  ) {
    this.name = test.name;
    this.address = test.host;
    this.pgPort = test.pgPort;
    this.restPort = test.restPort;
    this.pgUrl = `postgresql://postgres:${SUPERUSER_PASSWORD}@${test.host}:${test.pgPort}/postgres`;
    this.dataDir = test.dataDir;
    this.logPath = test.logPath;
    this.restBase = test.apiBase;
  }

  daemonPid(): number | null {
    return this.test.pid;
  }

  /** The postmaster's pid, when postmaster.pid names a live process (a kill -9 leaves the file). */
  async postmasterPid(): Promise<number | null> {
    const pid = await this.test.postmasterPid();
    return pid !== null && (await alive(pid)) ? pid : null;
  }

  /** The postmaster and every process it forked, for stopping PostgreSQL as a whole. */
  async postgresPids(): Promise<number[]> {
    const pm = await this.postmasterPid();
    return pm === null ? [] : [pm, ...(await childrenOf(pm))];
  }

  startDaemon(): Promise<void> {
    if (!this.test.running) this.test.start();
    return Promise.resolve();
  }

  /** A signal to the daemon (nothing when it is not running). */
  signalDaemon(sig: NodeJS.Signals): void {
    const pid = this.daemonPid();
    if (pid !== null) signal(pid, sig);
  }
}
