import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RestApiServer } from '../../src/api/server.js';
import { FakeApiContext } from '../../src/api/testing/fake-context.js';
import { call, rawExchange } from '../../src/api/testing/http-client.js';
import { DaemonMetrics } from '../../src/metrics/registry.js';

/** The value of the first line matching `series`, or 0 when there is none. */
function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(series));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

describe('REST API request metrics, probe fast path included', () => {
  const ctx = new FakeApiContext();
  const metrics = new DaemonMetrics('batman', 'node1');
  // No extra headers: health probes are answered by the probe front, not the HTTP server.
  const server = new RestApiServer({ options: { listen: '127.0.0.1:0' }, context: ctx, metrics });
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

  it('counts requests by route, method and status, and appends the series to /metrics', async () => {
    const primary = 'patroni_ts_rest_requests_total{route="/primary",method="GET",status="200"';
    const replica = 'patroni_ts_rest_requests_total{route="/replica",method="HEAD",status="503"';
    const patroni = 'patroni_ts_rest_requests_total{route="/patroni",method="GET",status="200"';
    for (let i = 0; i < 3; i++) {
      assert.match(await rawExchange(port, 'GET /primary HTTP/1.0\r\n\r\n'), /^HTTP\/1\.[01] 200/);
    }
    assert.match(await rawExchange(port, 'HEAD /replica HTTP/1.0\r\n\r\n'), /^HTTP\/1\.[01] 503/);
    assert.equal((await call(`${base}/patroni`)).status, 200);
    assert.equal((await call(`${base}/no-such-thing/at/all`)).status, 503);
    const text = (await call(`${base}/metrics`)).body;
    // Patroni's own series come first and unchanged, then ours.
    assert.match(text, /^# HELP patroni_version Patroni semver without periods\.\n/);
    assert.ok(text.indexOf('patroni_is_paused') < text.indexOf('patroni_ts_'));
    assert.equal(value(text, primary), 3);
    assert.equal(value(text, replica), 1);
    assert.equal(value(text, patroni), 1);
    assert.equal(value(text, 'patroni_ts_rest_requests_total{route="other",method="GET"'), 1);
    assert.match(text, /^patroni_ts_rest_request_duration_seconds_count\{[^}]*route="\/primary"/m);
    // The /metrics request itself is counted once it is answered.
    const again = (await call(`${base}/metrics`)).body;
    assert.equal(value(again, 'patroni_ts_rest_requests_total{route="/metrics",method="GET"'), 1);
  });
});
