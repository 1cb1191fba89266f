import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RestApiServer } from '../../src/api/server.js';
import { FakeApiContext } from '../../src/api/testing/fake-context.js';
import { call, rawExchange } from '../../src/api/testing/http-client.js';
import { clusterOf, memberOf, primaryView, replicaView } from '../../src/core/health/fixtures.js';
import type { Clock } from '../../src/shared/clock.js';
import { MemoryLogger } from '../../src/shared/log/logger.js';

/** Real time for schedules, instant sleeps so switchover polling does not wait a second a round. */
const fastClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  sleep: () => new Promise((resolve) => setImmediate(resolve)),
};

describe('REST API endpoints against a fake daemon', () => {
  const ctx = new FakeApiContext();
  const log = new MemoryLogger();
  const server = new RestApiServer({
    options: { listen: '127.0.0.1:0', httpExtraHeaders: { 'X-Extra': 'yes' } },
    context: ctx,
    clock: fastClock,
    log,
  });
  let base = '';
  let port = 0;
  before(async () => {
    await server.start();
    port = server.address().port;
    base = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    await server.stop();
  });
  beforeEach(() => {
    ctx.nodeView = primaryView({ nextRunAt: Date.now() });
    ctx.cluster = clusterOf();
    ctx.calls.length = 0;
    ctx.onFailoverWritten = null;
    ctx.scheduled = null;
  });

  it('health checks: GET returns the status JSON with the code, HEAD a bare status line', async () => {
    const primary = await call(`${base}/primary`);
    assert.equal(primary.status, 200);
    assert.equal(primary.headers['content-type'], 'application/json');
    assert.equal(primary.headers['x-extra'], 'yes');
    assert.equal((JSON.parse(primary.body) as Record<string, unknown>)['role'], 'master');
    assert.equal((await call(`${base}/replica`)).status, 503);
    const unknown = await call(`${base}/whatever`);
    assert.equal(unknown.status, 503);
    assert.equal((JSON.parse(unknown.body) as Record<string, unknown>)['state'], 'running');
    assert.equal(
      await rawExchange(port, 'HEAD /primary HTTP/1.1\r\nHost: x\r\n\r\n'),
      'HTTP/1.0 200 OK\r\n\r\n',
    );
    assert.equal(
      await rawExchange(port, 'OPTIONS /replica HTTP/1.0\r\n\r\n'),
      'HTTP/1.0 503 Service Unavailable\r\n\r\n',
    );
    assert.equal(await rawExchange(port, 'OPTIONS / HTTP/1.0\r\n\r\n'), 'HTTP/1.0 200 OK\r\n\r\n');
    // HTTP/1.1 checks without a Host header, as some load balancer configs send them.
    const noHost = await rawExchange(port, 'GET /primary HTTP/1.1\r\nConnection: close\r\n\r\n');
    assert.match(noHost, /^HTTP\/1\.1 200 OK\r\n/);
  });

  it('replica view: /replica 200, /primary 503', async () => {
    ctx.nodeView = replicaView();
    assert.equal((await call(`${base}/replica?lag=1MB`)).status, 200);
    assert.equal((await call(`${base}/primary`)).status, 503);
    assert.equal((await call(`${base}/read-only`)).status, 200);
  });

  it('liveness and readiness: status line only on GET, 503 for HEAD', async () => {
    assert.equal(
      await rawExchange(port, 'GET /liveness HTTP/1.1\r\nHost: x\r\n\r\n'),
      'HTTP/1.0 200 OK\r\n\r\n',
    );
    assert.equal(
      await rawExchange(port, 'GET /readiness HTTP/1.1\r\nHost: x\r\n\r\n'),
      'HTTP/1.0 200 OK\r\n\r\n',
    );
    assert.equal((await call(`${base}/liveness`, { method: 'HEAD' })).status, 503);
    ctx.nodeView = primaryView({ nextRunAt: Date.now() - 120_000 });
    assert.equal((await call(`${base}/liveness`)).status, 503);
  });

  it('GET /patroni (any sub-path), /cluster, /history, /config, /metrics', async () => {
    const status = await call(`${base}/patroni/anything`);
    assert.equal(status.status, 200);
    assert.match(status.body, /^\{"state": "running", "postmaster_start_time": /);
    // Patroni's fields first and unchanged; which implementation runs is one field at the end.
    assert.match(status.body, /"patroni": \{"version": "3\.0\.2", "scope": "batman"\}/);
    assert.match(
      status.body,
      /, "implementation": \{"name": "patroni-ts", "version": "[^"]+"\}\}$/,
    );
    const cluster = await call(`${base}/cluster`);
    assert.equal(cluster.status, 200);
    const members = (JSON.parse(cluster.body) as { members: { name: string; role: string }[] })
      .members;
    assert.deepEqual(
      members.map((m) => `${m.name}:${m.role}`),
      ['node1:leader', 'node2:replica', 'node3:replica'],
    );
    ctx.nodeView = primaryView({
      cluster: clusterOf({
        history: {
          lines: [
            [
              1,
              67112496,
              'no recovery target specified',
              '2026-11-22T02:59:55.786490+00:00',
              'node2',
            ],
          ],
          index: 4,
        },
      }),
    });
    assert.equal(
      (await call(`${base}/history`)).body,
      '[[1, 67112496, "no recovery target specified", "2026-11-22T02:59:55.786490+00:00", "node2"]]',
    );
    assert.equal((await call(`${base}/config`)).body, '{"ttl": 30, "loop_wait": 10}');
    ctx.nodeView = primaryView({ cluster: null });
    ctx.cluster = clusterOf({ config: null });
    const noConfig = await call(`${base}/config`);
    assert.equal(noConfig.status, 502);
    assert.match(noConfig.body, /<p>Error code: 502<\/p>/);
    const metrics = await call(`${base}/metrics`);
    assert.equal(metrics.headers['content-type'], 'text/plain');
    assert.match(metrics.body, /^patroni_primary\{scope="batman"\} 1$/m);
  });

  it('GET /cluster with the DCS down is a 500 with a reason, and the server keeps serving', async () => {
    ctx.cluster = null;
    const res = await call(`${base}/cluster`);
    assert.equal(res.status, 500);
    assert.match(res.body, /etcd is not reachable/);
    assert.doesNotMatch(res.body, /at .*\.ts/);
    assert.equal((await call(`${base}/primary`)).status, 200);
  });

  it('PATCH /config merges with CAS, null deletes, wakes the loop; conflicts are 409', async () => {
    const res = await call(`${base}/config`, {
      method: 'PATCH',
      body: JSON.stringify({
        loop_wait: 5,
        ttl: null,
        postgresql: { parameters: { work_mem: '8MB' } },
      }),
    });
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), {
      loop_wait: 5,
      postgresql: { parameters: { work_mem: '8MB' } },
    });
    assert.deepEqual(ctx.callsTo('setConfigValue')[0]?.[1], 5, 'CAS against the revision read');
    assert.equal(ctx.callsTo('wakeup').length, 1);
    ctx.configWriteResult = false;
    const conflict = await call(`${base}/config`, { method: 'PATCH', body: '{"loop_wait": 7}' });
    ctx.configWriteResult = true;
    assert.equal(conflict.status, 409);
    ctx.cluster = clusterOf({ config: null });
    assert.equal((await call(`${base}/config`, { method: 'PATCH', body: '{"a": 1}' })).status, 503);
  });

  it('PUT /config replaces unconditionally and echoes the body; write failure is 502', async () => {
    const res = await call(`${base}/config`, { method: 'PUT', body: '{"ttl": 20}' });
    assert.equal(res.status, 200);
    assert.equal(res.body, '{"ttl": 20}');
    assert.deepEqual(ctx.callsTo('setConfigValue')[0], [{ ttl: 20 }, undefined]);
    ctx.configWriteResult = false;
    assert.equal(
      (await call(`${base}/config`, { method: 'PUT', body: '{"ttl": 25}' })).status,
      502,
    );
    ctx.configWriteResult = true;
  });

  it('POST /switchover: validation, 412 pre-checks, success after the leader moves', async () => {
    const bad = await call(`${base}/switchover`, {
      method: 'POST',
      body: '{"candidate": "node2"}',
    });
    assert.deepEqual(
      [bad.status, bad.body],
      [400, 'Switchover could be performed only from a specific leader'],
    );
    const wrongLeader = await call(`${base}/switchover`, {
      method: 'POST',
      body: '{"leader": "node3"}',
    });
    assert.deepEqual([wrongLeader.status, wrongLeader.body], [412, 'leader name does not match']);
    ctx.healthyCandidates = false;
    const nobody = await call(`${base}/switchover`, {
      method: 'POST',
      body: '{"leader": "node1"}',
    });
    ctx.healthyCandidates = true;
    assert.deepEqual(
      [nobody.status, nobody.body],
      [412, 'switchover is not possible: no good candidates have been found'],
    );
    ctx.onFailoverWritten = (value) => {
      const name = value.candidate ?? 'node3';
      if (ctx.cluster !== null) {
        ctx.cluster = {
          ...ctx.cluster,
          leader: { name, index: 99, session: null, member: memberOf(name, 54322) },
        };
      }
    };
    const ok = await call(`${base}/switchover`, {
      method: 'POST',
      body: '{"leader": "node1", "candidate": "node2"}',
    });
    assert.deepEqual([ok.status, ok.body], [200, 'Successfully switched over to "node2"']);
    assert.deepEqual(ctx.callsTo('setFailoverValue')[0], [
      { leader: 'node1', candidate: 'node2', scheduledAt: null },
      undefined,
    ]);
    assert.ok(
      log.lines.some(
        (l) =>
          l.message ===
          'received switchover request with leader=node1 candidate=node2 scheduled_at=None',
      ),
    );
  });

  it('POST /failover: key vanishing without a new leader is 503 Failover failed; timeout is status unknown', async () => {
    ctx.onFailoverWritten = () => {
      if (ctx.cluster !== null) ctx.cluster = { ...ctx.cluster, failover: null };
    };
    const failed = await call(`${base}/failover`, {
      method: 'POST',
      body: '{"candidate": "node2"}',
    });
    assert.deepEqual([failed.status, failed.body], [503, 'Failover failed']);
    ctx.onFailoverWritten = null;
    const unknown = await call(`${base}/failover`, {
      method: 'POST',
      body: '{"candidate": "node2"}',
    });
    assert.deepEqual([unknown.status, unknown.body], [503, 'Failover status unknown']);
    assert.equal(
      ctx.callsTo('getCluster').length,
      2 + 1 + 100,
      'one read per 200 ms poll round over 2*max(10, loop_wait) seconds',
    );
    ctx.failoverWriteResult = false;
    const notWritten = await call(`${base}/failover`, {
      method: 'POST',
      body: '{"candidate": "node2"}',
    });
    ctx.failoverWriteResult = true;
    assert.deepEqual(
      [notWritten.status, notWritten.body],
      [503, 'failed to write failover key into DCS'],
    );
  });

  it('scheduled switchover: 202, visible in /cluster, DELETE clears it with CAS, then 404', async () => {
    const at = '2099-01-01T00:00:00+00:00';
    const res = await call(`${base}/switchover`, {
      method: 'POST',
      body: JSON.stringify({ leader: 'node1', scheduled_at: at }),
    });
    assert.deepEqual([res.status, res.body], [202, 'Switchover scheduled']);
    const listed = JSON.parse((await call(`${base}/cluster`)).body) as Record<string, unknown>;
    assert.deepEqual(listed['scheduled_switchover'], { at, from: 'node1' });
    const del = await call(`${base}/switchover`, { method: 'DELETE' });
    assert.deepEqual([del.status, del.body], [200, 'scheduled switchover deleted']);
    assert.deepEqual(ctx.callsTo('setFailoverValue')[1], [
      { leader: null, candidate: null, scheduledAt: null },
      1,
    ]);
    const again = await call(`${base}/switchover`, { method: 'DELETE' });
    assert.deepEqual([again.status, again.body], [404, 'no switchover is scheduled']);
    const past = await call(`${base}/switchover`, {
      method: 'POST',
      body: '{"leader": "node1", "scheduled_at": "2001-01-01T00:00:00Z"}',
    });
    assert.deepEqual([past.status, past.body], [422, 'Cannot schedule switchover in the past']);
  });

  it('POST /restart: immediate, conditions not met, scheduled, conflicts, DELETE', async () => {
    const now = await call(`${base}/restart`, { method: 'POST' });
    assert.deepEqual([now.status, now.body], [200, 'restarted successfully']);
    ctx.restartOutcome = { ok: false, message: 'restart conditions are not satisfied' };
    const cond = await call(`${base}/restart`, { method: 'POST', body: '{"role": "replica"}' });
    ctx.restartOutcome = { ok: true, message: 'restarted successfully' };
    assert.deepEqual([cond.status, cond.body], [503, 'restart conditions are not satisfied']);
    assert.deepEqual(ctx.callsTo('restart')[1], [{ role: 'replica' }]);
    const badRole = await call(`${base}/restart`, { method: 'POST', body: '{"role": "boss"}' });
    assert.deepEqual(
      [badRole.status, badRole.body],
      [400, 'PostgreSQL role should be either primary or replica'],
    );
    const body = '{"schedule": "2099-01-01T00:00:00+00:00", "restart_pending": true}';
    assert.deepEqual([(await call(`${base}/restart`, { method: 'POST', body })).status], [202]);
    const twice = await call(`${base}/restart`, { method: 'POST', body });
    assert.deepEqual([twice.status, twice.body], [409, 'Another restart is already scheduled']);
    ctx.cluster = clusterOf({ config: { data: { pause: true }, index: 5 } });
    const paused = await call(`${base}/restart`, { method: 'POST', body });
    assert.deepEqual(
      [paused.status, paused.body],
      [500, "Can't schedule restart in the paused state"],
    );
    assert.deepEqual(
      (await call(`${base}/restart`, { method: 'DELETE' })).body,
      'scheduled restart deleted',
    );
    const none = await call(`${base}/restart`, { method: 'DELETE' });
    assert.deepEqual([none.status, none.body], [404, 'no restarts are scheduled']);
  });

  it('POST /reload, /reinitialize (force), /failsafe, /sigterm, /citus; unknown POST is 501', async () => {
    const reload = await call(`${base}/reload`, { method: 'POST' });
    assert.deepEqual([reload.status, reload.body], [202, 'reload scheduled']);
    assert.equal(ctx.callsTo('reload').length, 1);
    const reinit = await call(`${base}/reinitialize`, { method: 'POST', body: '{"force": true}' });
    assert.deepEqual([reinit.status, reinit.body], [200, 'reinitialize started']);
    assert.deepEqual(ctx.callsTo('reinitialize')[0], [true]);
    ctx.reinitRefusal = 'I am the leader, can not reinitialize';
    const refused = await call(`${base}/reinitialize`, { method: 'POST' });
    ctx.reinitRefusal = null;
    assert.deepEqual(
      [refused.status, refused.body],
      [503, 'I am the leader, can not reinitialize'],
    );
    assert.equal(
      (await call(`${base}/failsafe`, { method: 'POST', body: '{"name": "node1"}' })).status,
      502,
    );
    assert.equal((await call(`${base}/failsafe`)).status, 502);
    ctx.nodeView = replicaView({
      failsafeMode: true,
      cluster: clusterOf({ failsafe: { node1: 'http://127.0.0.1:64321/patroni' } }),
    });
    const ping = await call(`${base}/failsafe`, {
      method: 'POST',
      body: '{"name": "node1", "api_url": "http://x/patroni"}',
    });
    assert.deepEqual([ping.status, ping.body], [200, 'Accepted']);
    assert.deepEqual(JSON.parse((await call(`${base}/failsafe`)).body), {
      node1: 'http://127.0.0.1:64321/patroni',
    });
    ctx.failsafeRefusal = 'Running as a leader';
    const leader = await call(`${base}/failsafe`, { method: 'POST', body: '{"name": "node1"}' });
    ctx.failsafeRefusal = null;
    assert.deepEqual([leader.status, leader.body], [500, 'Running as a leader']);
    assert.equal((await call(`${base}/sigterm`, { method: 'POST' })).status, 202);
    assert.equal(
      (await call(`${base}/citus`, { method: 'POST', body: '{"type": "x"}' })).status,
      200,
    );
    const unknown = await call(`${base}/nothing`, { method: 'POST' });
    assert.equal(unknown.status, 501);
    assert.equal(unknown.headers['connection'], 'close');
  });
});
