import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterSnapshot } from '../../core/model/index.js';
import { runCtl } from '../main.js';
import type { SqlRequest, SqlResult } from '../ports.js';
import { fakeWorld, TEST_CONFIG } from '../testing/fakes.js';
import { loadScenarios } from '../testing/scenarios.js';
import { editConfigCommand } from './edit-config.js';
import { versionCommand } from './info.js';
import { reinitCommand, restartCommand } from './member-actions.js';
import { togglePauseCommand } from './pause.js';
import { queryCommand, type QueryOptions } from './query.js';
import { listCommand } from './show.js';

const scenarios = new Map(loadScenarios().map((s) => [s.name, s.snapshot]));
const basic = (): ClusterSnapshot => {
  const s = scenarios.get('basic');
  assert.ok(s);
  return s;
};

describe('list', () => {
  it('without names or scope warns on stderr and prints nothing', async () => {
    const w = fakeWorld([basic()], { config: { ...TEST_CONFIG, scope: null } });
    await listCommand(w.ctx, {
      clusterNames: [],
      extended: false,
      timestamp: false,
      fmt: 'pretty',
      watchSeconds: null,
    });
    assert.equal(w.io.stdout, '');
    assert.match(
      w.io.stderr,
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - WARNING - Listing members: No cluster names were provided\n$/,
    );
  });

  it('-W refreshes every 2 s, clearing the screen and printing the timestamp each time', async () => {
    const w = fakeWorld([basic()]);
    await listCommand(w.ctx, {
      clusterNames: ['batman'],
      extended: false,
      timestamp: true,
      fmt: 'tsv',
      watchSeconds: 2,
      maxRefreshes: 3,
    });
    assert.equal(w.clock.slept, 4000);
    const frames = w.io.stdout.split('<clear>').slice(1);
    assert.equal(frames.length, 3);
    assert.match(frames[0] ?? '', /^2026-11-22 03:00:00\nCluster\tMember/);
    assert.match(frames[2] ?? '', /^2026-11-22 03:00:04\n/);
  });
});

describe('reinit --wait', () => {
  it('polls GET /patroni every 2 s until the member is no longer creating a replica', async () => {
    const w = fakeWorld([basic()], {
      rest: {
        'POST reinitialize': { status: 200, body: 'reinitialize started' },
        'GET patroni': [
          { status: 200, body: '{"state": "creating replica"}' },
          { status: 200, body: '{"state": "running"}' },
        ],
      },
    });
    await reinitCommand(w.ctx, {
      clusterName: 'batman',
      memberNames: ['node2'],
      force: true,
      wait: true,
    });
    assert.match(
      w.io.stdout,
      /Success: reinitialize for member node2\nWaiting for reinitialize to complete on: node2\nReinitialize is completed on: node2\n$/,
    );
    assert.equal(w.clock.slept, 4000);
    assert.deepEqual(w.rest.calls[0]?.body, { force: true });
  });
});

describe('restart --any', () => {
  it('restarts only the one member picked among the candidates', async () => {
    const w = fakeWorld([basic()], { rest: { 'POST restart': { status: 200, body: 'ok' } } });
    await restartCommand(w.ctx, {
      clusterName: 'batman',
      memberNames: [],
      role: 'replica',
      force: true,
      any: true,
      scheduled: null,
      pgVersion: null,
      pending: false,
      timeout: null,
      pick: (members) => members[members.length - 1],
    });
    assert.deepEqual(
      w.rest.calls.map((c) => [c.member, c.method, c.endpoint, c.body]),
      [['node3', 'POST', 'restart', {}]],
    );
    assert.match(w.io.stdout, /Success: restart on member node3\n$/);
  });
});

describe('pause --wait', () => {
  it('waits until every member shows the pause flag', async () => {
    const before = basic();
    const paused = {
      ...before,
      members: before.members.map((m) => ({ ...m, pause: true, index: m.index + 1 })),
    };
    const w = fakeWorld([before, before, paused], {
      rest: { 'PATCH config': { status: 200, body: '{}' } },
    });
    await togglePauseCommand(w.ctx, { clusterName: 'batman', paused: true, wait: true });
    assert.equal(
      w.io.stdout,
      "'pause' request sent, waiting until it is recognized by all nodes\nSuccess: cluster management is paused\n",
    );
    assert.deepEqual(w.rest.calls[0], {
      member: 'node1',
      method: 'PATCH',
      endpoint: 'config',
      body: { pause: true },
    });
  });

  it('names the members that did not follow within loop_wait + 1 seconds', async () => {
    const before = basic();
    const moved = { ...before, members: before.members.map((m) => ({ ...m, index: m.index + 1 })) };
    const w = fakeWorld([before, moved], { rest: { 'PATCH config': { status: 200, body: '{}' } } });
    await togglePauseCommand(w.ctx, { clusterName: 'batman', paused: true, wait: true });
    assert.match(
      w.io.stdout,
      /node1, node2, node3 members didn't recognized pause state after 10 seconds\n$/,
    );
  });
});

describe('edit-config', () => {
  it('uses the editor result, and a lost CAS is an error', async () => {
    const w = fakeWorld([basic()], { answers: ['y'] });
    w.dcs.casResult = false;
    await assert.rejects(
      editConfigCommand(w.ctx, {
        clusterName: 'batman',
        force: false,
        quiet: true,
        set: [],
        pg: [],
        apply: null,
        replace: null,
        editor: (text) => text.replace('ttl: 30', 'ttl: 45'),
      }),
      /Config modification aborted due to concurrent changes/,
    );
    // The edited YAML is sorted, so is the JSON written back (as 3.0.2 does).
    assert.match(w.dcs.writes[0]?.value ?? '', /^\{"loop_wait": 10, .*, "ttl": 45\}$/);
    assert.equal(w.dcs.writes[0]?.index, basic().config?.index);
  });
});

describe('version', () => {
  it('prints each member version from GET /patroni, or why it failed', async () => {
    const w = fakeWorld([basic()], {
      rest: {
        'node1 GET': {
          status: 200,
          body: '{"patroni": {"version": "3.0.2"}, "server_version": 150003}',
        },
        'node2 GET': {
          status: 200,
          body: '{"patroni": {"version": "3.0.2"}, "server_version": 90624}',
        },
      },
    });
    await versionCommand(w.ctx, 'batman', []);
    assert.equal(
      w.io.stdout,
      'patronictl version 3.0.2\n\nnode1: Patroni 3.0.2 PostgreSQL 15.3\nnode2: Patroni 3.0.2 PostgreSQL 9.6.24\nnode3: failed to get version: node3: connection refused\n',
    );
  });
});

describe('query', () => {
  const base: QueryOptions = {
    clusterName: 'batman',
    role: null,
    member: null,
    file: null,
    command: 'select 1 as one',
    username: 'postgres',
    askPassword: false,
    dbname: null,
    fmt: 'tsv',
    delimiter: '\t',
    watchSeconds: null,
  };

  it('runs on the leader by default and prints a tsv table with a header', async () => {
    const w = fakeWorld([basic()]);
    const asked: SqlRequest[] = [];
    const ctx = {
      ...w.ctx,
      sql: {
        run: (req: SqlRequest): Promise<SqlResult> => {
          asked.push(req);
          return Promise.resolve({ kind: 'rows', columns: ['one'], rows: [[1]] });
        },
      },
    };
    await queryCommand(ctx, base);
    assert.equal(w.io.stdout, 'one\n1\n');
    assert.deepEqual(asked, [
      { host: '127.0.0.1', port: 54321, sql: 'select 1 as one', user: 'postgres' },
    ]);
  });

  it('reports SQL errors and a wrong role as rows, like 3.0.2', async () => {
    const w = fakeWorld([basic()]);
    const results: SqlResult[] = [{ kind: 'error', sqlstate: '42P01' }, { kind: 'wrong-role' }];
    const ctx = {
      ...w.ctx,
      sql: {
        run: (): Promise<SqlResult> => Promise.resolve(results.shift() ?? { kind: 'wrong-role' }),
      },
    };
    await queryCommand(ctx, { ...base, role: 'replica' });
    await queryCommand(ctx, { ...base, role: 'replica' });
    assert.equal(
      w.io.stdout,
      '2026-11-22 03:00:00\tERROR, SQLSTATE: 42P01\n2026-11-22 03:00:00\tNo connection to role=replica is available\n',
    );
  });
});

describe('runCtl', () => {
  it('an unreachable DCS is one Error line and exit code 1', async () => {
    const w = fakeWorld([]);
    const rc = await runCtl(['-d', 'etcd3://127.0.0.1:1', 'list', 'batman'], {
      io: w.io,
      clock: w.clock,
      env: {},
      defaultConfigFile: '/nonexistent/patronictl.yaml',
      openDcs: () => Promise.resolve(w.dcs),
      restClient: () => w.rest,
    });
    assert.equal(rc, 1);
    assert.equal(w.io.stderr, 'Error: etcd is down\n');
    assert.equal(w.io.stdout, '');
  });

  it('--group (Citus) is refused clearly', async () => {
    const w = fakeWorld([basic()]);
    const rc = await runCtl(['-d', 'etcd3://x', 'list', '--group', '1'], {
      io: w.io,
      clock: w.clock,
      env: {},
      defaultConfigFile: '/nonexistent/patronictl.yaml',
      openDcs: () => Promise.resolve(w.dcs),
      restClient: () => w.rest,
    });
    assert.equal(rc, 1);
    assert.match(w.io.stderr, /^Error: Citus clusters \(--group\) are not supported/);
  });
});

describe('failover without a leader', () => {
  it("asks the candidate's own API and names no leader", async () => {
    const { switchoverCommand } = await import('./switchover.js');
    const leaderless = { ...basic(), leader: null };
    const w = fakeWorld([leaderless], {
      rest: { 'POST failover': { status: 200, body: 'Successfully failed over to "node3"' } },
    });
    await switchoverCommand(w.ctx, {
      action: 'failover',
      clusterName: 'batman',
      leader: null,
      candidate: 'node3',
      scheduled: null,
      force: true,
    });
    assert.deepEqual(w.rest.calls, [
      {
        member: 'node3',
        method: 'POST',
        endpoint: 'failover',
        body: { leader: null, candidate: 'node3', scheduled_at: null },
      },
    ]);
    assert.match(w.io.stdout, /Successfully failed over to "node3"/);
  });
});
