import type { Clock } from '../../shared/clock.js';
import { PatroniError } from '../../shared/errors.js';
import type { Logger } from '../../shared/log/logger.js';
import { hostList } from './options.js';

/** The `exhibitor:` section: where Exhibitor runs, and how often to ask it again. */
export interface ExhibitorOptions {
  readonly hosts: readonly string[];
  readonly port: number;
  /** Seconds between polls (Patroni's default 300). */
  readonly pollInterval: number;
}

const CLUSTER_LIST = '/exhibitor/v1/cluster/list';
/** Patroni's per-request timeout. */
const TIMEOUT_MS = 3100;

export function parseExhibitorSection(
  section: Readonly<Record<string, unknown>>,
): ExhibitorOptions {
  const hosts = hostList(section['hosts'] ?? [], 'exhibitor', 0).map((h) => h.replace(/:0$/, ''));
  const port = Number(section['port']);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new PatroniError('CONFIG_INVALID', 'exhibitor.port: must be a port number');
  const poll = section['poll_interval'];
  const pollInterval = poll === undefined || poll === null ? 300 : Number(poll);
  if (!Number.isFinite(pollInterval) || pollInterval <= 0)
    throw new PatroniError('CONFIG_INVALID', 'exhibitor.poll_interval: must be a positive number');
  return { hosts, port, pollInterval };
}

/**
 * Patroni's ExhibitorEnsembleProvider: asks Exhibitor (`/exhibitor/v1/cluster/list`, JSON
 * `{"servers": [...], "port": N}`) for the ZooKeeper ensemble, at most once per poll
 * interval; the servers it names become the Exhibitor hosts asked next time, with the
 * configured ones as the fallback.
 */
export class ExhibitorEnsemble {
  private exhibitors: string[];
  private nextPollAt = -Infinity;
  private current: readonly string[] = [];

  constructor(
    private readonly o: ExhibitorOptions,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.exhibitors = [...o.hosts];
  }

  /** The ensemble as `host:port` entries, sorted (empty until a poll succeeded). */
  get hosts(): readonly string[] {
    return this.current;
  }

  /** Polls when due; true when the ensemble changed. */
  async poll(): Promise<boolean> {
    if (this.clock.now() < this.nextPollAt) return false;
    const answer = (await this.query(this.exhibitors)) ?? (await this.query([...this.o.hosts]));
    if (answer === null) return false;
    this.nextPollAt = this.clock.now() + this.o.pollInterval * 1000;
    const hosts = [...answer.servers].sort().map((s) => `${s}:${answer.port}`);
    if (hosts.join(',') === this.current.join(',')) return false;
    this.logger.info(
      `ZooKeeper connection string has changed: ${this.current.join(',')} => ${hosts.join(',')}`,
    );
    this.current = hosts;
    this.exhibitors = [...answer.servers];
    return true;
  }

  /** Polls until Exhibitor answers, every 5 s, as Patroni does at start. */
  async first(): Promise<readonly string[]> {
    while (!(await this.poll())) {
      this.logger.info('waiting on exhibitor');
      await this.clock.sleep(5000);
    }
    return this.current;
  }

  private async query(
    exhibitors: readonly string[],
  ): Promise<{ servers: string[]; port: number } | null> {
    for (const host of shuffled(exhibitors)) {
      const url = `http://${host.includes(':') ? `[${host}]` : host}:${this.o.port}${CLUSTER_LIST}`;
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
        const body: unknown = await res.json();
        const parsed = ensembleOf(body);
        if (parsed !== null) return parsed;
      } catch {
        this.logger.debug(`Request to ${host} failed`);
      }
    }
    return null;
  }
}

function ensembleOf(body: unknown): { servers: string[]; port: number } | null {
  if (typeof body !== 'object' || body === null) return null;
  const { servers, port } = body as { servers?: unknown; port?: unknown };
  if (!Array.isArray(servers) || servers.length === 0) return null;
  if (typeof port !== 'number' && typeof port !== 'string') return null;
  return { servers: servers.map(String), port: Number(port) };
}

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
