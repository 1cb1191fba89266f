/**
 * The dashboard over a real HTTP server on loopback (with a fake daemon behind it): the event
 * stream's events, its access checks, listeners freed when a browser goes, the static files, and
 * the route staying Patroni's health check while the dashboard is off.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request, type IncomingMessage } from 'node:http';
import { clusterOf, memberOf } from '../../core/health/fixtures.js';
import { RestApiServer } from '../server.js';
import { call } from '../testing/http-client.js';
import { FakeApiContext } from '../testing/fake-context.js';
import { DashboardHub } from './hub.js';
import { reason } from '../../core/ha/reason.js';
import {
  Journal,
  sentence,
  type DecisionInputs,
  type DecisionRecord,
  type Reason,
} from '../../core/journal/index.js';

const AUTH = { username: 'admin', password: 'dash-secret' };
const BASIC = `Basic ${Buffer.from(`${AUTH.username}:${AUTH.password}`).toString('base64')}`;

interface SseEvent {
  readonly event: string;
  readonly data: unknown;
}

/** An open event stream: events parsed as they come, and a way to wait for one. */
class SseClient {
  readonly events: SseEvent[] = [];
  private buffer = '';
  private waiters: (() => void)[] = [];

  /** The server ended the stream (or the client did). */
  closed = false;

  private constructor(private readonly res: IncomingMessage) {
    res.setEncoding('utf8');
    res.once('close', () => {
      this.closed = true;
    });
    res.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end = this.buffer.indexOf('\n\n');
      while (end >= 0) {
        this.parse(this.buffer.slice(0, end));
        this.buffer = this.buffer.slice(end + 2);
        end = this.buffer.indexOf('\n\n');
      }
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const req = request(url, { headers, agent: false }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`status ${res.statusCode ?? 0}`));
          return;
        }
        assert.match(String(res.headers['content-type']), /^text\/event-stream/);
        resolve(new SseClient(res));
      });
      req.on('error', reject);
      req.end();
    });
  }

  private parse(block: string): void {
    let event = 'message';
    let data: string | null = null;
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      if (line.startsWith('data: ')) data = line.slice(6);
    }
    if (data !== null) this.events.push({ event, data: JSON.parse(data) as unknown });
  }

  /** The first event (from `from` on) that matches, waiting up to `ms`. */
  async next(match: (e: SseEvent) => boolean, from = 0, ms = 5000): Promise<SseEvent> {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = this.events.slice(from).find(match);
      if (hit !== undefined) return hit;
      if (Date.now() > deadline) throw new Error('no such event in time');
      await new Promise<void>((r) => {
        const timer = setTimeout(r, 100);
        this.waiters.push(() => {
          clearTimeout(timer);
          r();
        });
      });
    }
  }

  close(): void {
    this.res.destroy();
  }
}

/** One cycle's decision as the daemon records it (a healthy leader unless told otherwise). */
function decision(r: Reason, extra: Partial<DecisionInputs> = {}): DecisionRecord {
  return {
    member: 'node1',
    reason: r,
    sentence: sentence(r),
    inputs: {
      dcsReachable: true,
      lockOwner: 'node1',
      previousLockOwner: 'node1',
      leaseLeftMs: 29_000,
      role: 'primary',
      pgState: 'running',
      timeline: 1,
      clusterTimeline: 1,
      lsn: 67111792,
      leaderLsn: 67111792,
      lagBytes: 0,
      bestPeer: null,
      failover: null,
      paused: false,
      sync: { synchronousMode: false, leader: null, standbys: [] },
      inFlight: null,
      ...extra,
    },
    race: null,
    log: [],
    actions: [],
  };
}

/** The journal's subscriptions right now (the hub should hold one while browsers listen). */
function subscriptions(journal: Journal): number {
  return (journal as unknown as { listeners: Set<unknown> }).listeners.size;
}

async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const leaderOf = (e: SseEvent): unknown => (e.data as { leader?: unknown }).leader;

describe('dashboard event stream', () => {
  const ctx = new FakeApiContext();
  const journal = ctx.decisions;
  journal.record(
    decision(reason('healthyLeader', { me: 'node1' })),
    Date.parse('2026-12-05T22:00:00Z'),
  );
  const hub = new DashboardHub(ctx, { tickMs: 20 });
  const server = new RestApiServer({
    options: { listen: '127.0.0.1:0', dashboard: true, authentication: AUTH },
    context: ctx,
    dashboard: hub,
  });
  let base = '';

  before(async () => {
    await server.start();
    base = `http://127.0.0.1:${server.address().port}`;
  });
  after(async () => {
    await server.stop();
  });

  it('refuses a browser without the REST API credentials', async () => {
    const none = await call(`${base}/dashboard/events`);
    assert.equal(none.status, 401);
    assert.equal(none.headers['www-authenticate'], 'Basic realm="Patroni"');
    const wrong = await call(`${base}/dashboard/events`, {
      headers: { authorization: `Basic ${Buffer.from('admin:nope').toString('base64')}` },
    });
    assert.equal(wrong.status, 401);
    assert.equal((await call(`${base}/dashboard`)).status, 401);
    assert.equal(hub.listeners, 0);
  });

  it('sends the state, the journal, then each change as it happens', async () => {
    const sse = await SseClient.open(`${base}/dashboard/events`, { authorization: BASIC });
    try {
      const first = await sse.next((e) => e.event === 'state');
      const state = first.data as { members: { name: string; role: string }[]; leader: string };
      assert.deepEqual(
        state.members.map((m) => [m.name, m.role]),
        [
          ['node1', 'leader'],
          ['node2', 'replica'],
          ['node3', 'replica'],
        ],
      );
      const backlog = await sse.next((e) => e.event === 'journal-backlog');
      const kept = backlog.data as { sentence: string; count: number }[];
      assert.deepEqual(
        kept.map((e) => [e.sentence, e.count]),
        [['no action. I am (node1), the leader with the lock', 1]],
      );

      // The leader moves: the page hears of it without asking.
      const node2 = memberOf('node2', 54322, { role: 'primary' });
      const moved = clusterOf({
        leader: { name: 'node2', index: 30, session: '2', member: node2 },
        members: [memberOf('node1', 54321), node2, memberOf('node3', 54323)],
        history: {
          lines: [
            [1, 50331808, 'no recovery target specified', '2026-12-05T22:00:00+00:00', 'node2'],
          ],
          index: 4,
        },
      });
      ctx.nodeView = { ...ctx.nodeView, cluster: moved, isLeader: false };
      const change = await sse.next((e) => e.event === 'state' && leaderOf(e) === 'node2');
      const history = (change.data as { history: { newLeader: string; lsn: string }[] }).history;
      assert.deepEqual(
        history.map((h) => [h.newLeader, h.lsn]),
        [['node2', '0/30000A0']],
      );

      // A repeat of the same decision comes as the same entry with a higher count.
      journal.record(decision(reason('healthyLeader', { me: 'node1' })), Date.now());
      const repeat = await sse.next((e) => e.event === 'journal');
      assert.deepEqual(
        [(repeat.data as { seq: number }).seq, (repeat.data as { count: number }).count],
        [1, 2],
      );
      const at = sse.events.length;
      journal.record(decision(reason('demotingNotHealthiest'), { lockOwner: null }), Date.now());
      const live = await sse.next((e) => e.event === 'journal', at);
      assert.equal(
        (live.data as { sentence: string }).sentence,
        'demoting self because i am not the healthiest node',
      );
    } finally {
      sse.close();
    }
  });

  it('frees a browser’s listener (and the shared work) when it closes the stream', async () => {
    const a = await SseClient.open(`${base}/dashboard/events`, { authorization: BASIC });
    const b = await SseClient.open(`${base}/dashboard/events`, { authorization: BASIC });
    await until('two listeners', () => hub.listeners === 2);
    assert.equal(subscriptions(journal), 1, 'one journal subscription for every browser');
    a.close();
    await until('one listener', () => hub.listeners === 1);
    b.close();
    await until('no listener', () => hub.listeners === 0);
    assert.equal(subscriptions(journal), 0);
  });

  it('serves the page and its files with a strict content policy, nothing else', async () => {
    const page = await call(`${base}/dashboard`, { headers: { authorization: BASIC } });
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(page.body, /<script type="module" src="\/dashboard\/dashboard\.js">/);
    assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'none'/);
    const js = await call(`${base}/dashboard/dashboard.js`, { headers: { authorization: BASIC } });
    assert.equal(js.status, 200);
    assert.match(String(js.headers['content-type']), /^text\/javascript/);
    assert.match(js.body, /new EventSource\('\/dashboard\/events'\)/);
    const traversal = await call(`${base}/dashboard/..%2fpackage.json`, {
      headers: { authorization: BASIC },
    });
    assert.equal(traversal.status, 404);
    const state = await call(`${base}/dashboard/state`, { headers: { authorization: BASIC } });
    assert.equal((JSON.parse(state.body) as { scope: string }).scope, 'batman');
  });

  it('refuses a switchover posted from another site’s page (CSRF)', async () => {
    const body = JSON.stringify({ leader: 'node2' });
    const evil = await call(`${base}/switchover`, {
      method: 'POST',
      body,
      headers: { authorization: BASIC, origin: 'http://evil.example' },
    });
    assert.equal(evil.status, 403);
    assert.equal(ctx.callsTo('setFailoverValue').length, 0);
    const sameSite = await call(`${base}/switchover`, {
      method: 'POST',
      body,
      headers: { origin: base },
    });
    assert.equal(sameSite.status, 401, 'same origin goes on to the credentials check');
  });

  it('ends the open streams when a reload switches the dashboard off', async () => {
    const sse = await SseClient.open(`${base}/dashboard/events`, { authorization: BASIC });
    await until('a listener', () => hub.listeners === 1);
    // The same listen address: no restart of the listener, only new rules.
    const on = { listen: '127.0.0.1:0', dashboard: true, authentication: AUTH };
    await server.reload({ ...on, dashboard: false });
    await until('the stream to end', () => sse.closed);
    assert.equal(hub.listeners, 0);
    const off = await call(`${base}/dashboard/events`, { headers: { authorization: BASIC } });
    assert.doesNotMatch(String(off.headers['content-type']), /event-stream/);
    await server.reload(on);
    const back = await SseClient.open(`${base}/dashboard/events`, { authorization: BASIC });
    back.close();
  });

  it('ends the open streams when the server stops', async () => {
    const sse = await SseClient.open(`${base}/dashboard/events`, { authorization: BASIC });
    await until('a listener', () => hub.listeners === 1);
    await server.stop();
    await until('the stream to end', () => sse.closed);
    assert.equal(hub.listeners, 0);
    await server.start();
    base = `http://127.0.0.1:${server.address().port}`;
  });
});

describe('dashboard switched off (the default)', () => {
  const ctx = new FakeApiContext();
  const server = new RestApiServer({ options: { listen: '127.0.0.1:0' }, context: ctx });
  let base = '';
  before(async () => {
    await server.start();
    base = `http://127.0.0.1:${server.address().port}`;
  });
  after(async () => {
    await server.stop();
  });

  it('answers /dashboard as Patroni would: the health check of an unknown path', async () => {
    for (const path of ['/dashboard', '/dashboard/events']) {
      const res = await call(`${base}${path}`);
      const other = await call(`${base}/no-such-thing`);
      assert.equal(res.status, other.status);
      assert.equal(res.body, other.body);
      assert.doesNotMatch(String(res.headers['content-type']), /event-stream|text\/html/);
    }
  });

  it('takes cross-origin posts as before (no dashboard, no browser credentials to abuse)', async () => {
    const res = await call(`${base}/switchover`, {
      method: 'POST',
      body: JSON.stringify({
        leader: 'node1',
        candidate: 'node2',
        scheduled_at: '2099-01-01T00:00:00+00:00',
      }),
      headers: { origin: 'http://evil.example' },
    });
    assert.notEqual(res.status, 403);
  });
});
