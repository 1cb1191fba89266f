import type { NodeView } from '../../core/health/node-view.js';
import type { Logger } from '../../shared/log/logger.js';
import { silentLogger } from '../../shared/log/logger.js';
import type { StreamSink } from '../reply.js';
import type { JournalFeed } from './journal-feed.js';
import { SSE_PING, sseEvent, sseRetry } from './sse.js';
import { dashboardState, type DashboardState } from './state.js';

/** What the hub reads: the node view (cheap, no I/O) and the journal when there is one. */
export interface HubSource {
  view(): NodeView;
  /**
   * The view with PostgreSQL's state read at most a second ago (one shared query however many
   * ask), as /patroni serves it; without it the loop's view is shown.
   */
  freshView?(): Promise<NodeView>;
  /** The daemon's journal; absent (or undefined) where none is kept. */
  journal?(): JournalFeed | undefined;
}

export interface HubOptions {
  /** How often the one shared ticker looks at the node view for changes. */
  readonly tickMs: number;
  /** Keep-alive comment interval: proxies close idle streams, and dead clients show up. */
  readonly pingMs: number;
  /** How many journal entries a new browser gets before the live ones. */
  readonly backlog: number;
  /** A client that has not taken this many writes in a row is dropped (its buffer grows). */
  readonly maxBlockedWrites: number;
  readonly wallNow: () => number;
  readonly log: Logger;
}

const DEFAULTS: HubOptions = {
  tickMs: 500,
  pingMs: 15_000,
  backlog: 200,
  maxBlockedWrites: 64,
  wallNow: () => Date.now(),
  log: silentLogger,
};

interface Client {
  readonly sink: StreamSink;
  blocked: number;
}

/**
 * Fans the dashboard's live events out to every open browser: one ticker and one journal
 * subscription for all of them (started with the first browser, stopped with the last), so a
 * hundred open pages cost what one costs. Events: `state` (the whole DashboardState, sent when
 * it changes), `journal-backlog` (the kept entries, once) and `journal` (each new or repeated
 * decision).
 */
export class DashboardHub {
  private readonly clients = new Set<Client>();
  private readonly options: HubOptions;
  private lastView: NodeView | null = null;
  private lastKey = '';
  /** The last state streamed, which a browser that attaches later gets first. */
  private lastState: DashboardState | null = null;
  private reading = false;
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly source: HubSource,
    options: Partial<HubOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Open streams right now. */
  get listeners(): number {
    return this.clients.size;
  }

  /** The state as it is now (also served as JSON for a first paint and for scripts). */
  state(): DashboardState {
    return dashboardState(this.source.view(), this.options.wallNow());
  }

  /** Takes over an event stream: sends the current state and the journal, then every change. */
  attach(sink: StreamSink): void {
    const client: Client = { sink, blocked: 0 };
    this.clients.add(client);
    sink.onClose(() => {
      this.detach(client);
    });
    this.send(client, sseRetry(2000));
    this.send(client, sseEvent('state', this.lastState ?? this.state()));
    const journal = this.source.journal?.();
    if (journal !== undefined) {
      const backlog = journal.entries().slice(-this.options.backlog);
      this.send(client, sseEvent('journal-backlog', backlog));
    }
    if (this.clients.size === 1) this.startShared();
  }

  /** Ends every stream and stops the shared work (server stop; a restart may attach again). */
  close(): void {
    for (const c of [...this.clients]) c.sink.end();
    this.clients.clear();
    this.stopShared();
  }

  private detach(client: Client): void {
    if (!this.clients.delete(client)) return;
    if (this.clients.size === 0) this.stopShared();
  }

  private startShared(): void {
    this.lastView = null;
    this.lastState = null;
    // What attach() has just sent: a tick streams only what differs from it.
    this.lastKey = stateKey(this.state());
    this.tick();
    const tick = setInterval(() => {
      this.tick();
    }, this.options.tickMs);
    const ping = setInterval(() => {
      this.broadcast(SSE_PING);
    }, this.options.pingMs);
    // Open browsers must not keep a stopping daemon alive.
    tick.unref();
    ping.unref();
    this.timers = [tick, ping];
    // A repeat comes as the same entry (same seq) with a higher count: the page replaces it.
    this.unsubscribe =
      this.source.journal?.()?.subscribe((event) => {
        this.broadcast(sseEvent('journal', event.entry));
      }) ?? null;
  }

  private stopShared(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Reads the view (fresh when the source can) and streams the state if the page would change. */
  private tick(): void {
    if (this.source.freshView === undefined) {
      this.render(this.source.view());
      return;
    }
    // One read at a time: a slow PostgreSQL must not pile reads up behind the ticker.
    if (this.reading) return;
    this.reading = true;
    void this.source
      .freshView()
      .catch(() => this.source.view())
      .then((view) => {
        if (this.timers.length > 0) this.render(view);
      })
      .finally(() => {
        this.reading = false;
      });
  }

  private render(view: NodeView): void {
    // The daemon hands out the same view object while nothing changed: nothing to render.
    if (view === this.lastView) return;
    this.lastView = view;
    const state = dashboardState(view, this.options.wallNow());
    const key = stateKey(state);
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.lastState = state;
    this.broadcast(sseEvent('state', state));
  }

  private broadcast(chunk: string): void {
    for (const c of [...this.clients]) this.send(c, chunk);
  }

  private send(client: Client, chunk: string): void {
    if (client.sink.write(chunk)) {
      client.blocked = 0;
      return;
    }
    client.blocked += 1;
    if (client.blocked >= this.options.maxBlockedWrites) {
      this.options.log.warning('Dashboard: dropping an event stream whose client stopped reading');
      this.detach(client);
      client.sink.end();
    }
  }
}

/** A state's content without its timestamp: equal keys render the same page. */
function stateKey(state: DashboardState): string {
  return JSON.stringify({ ...state, generatedAt: 0 });
}
