import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { leaseRemainingSeconds } from './lease.js';
import { DaemonMetrics } from './registry.js';

/** The value of one series line, e.g. `name{labels} 3`, or undefined. */
function value(text: string, series: RegExp): number | undefined {
  const line = text.split('\n').find((l) => series.test(l));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

describe('DaemonMetrics: the series patroni-ts adds to /metrics', () => {
  it('renders each series with HELP, TYPE and the scope label', async () => {
    let lease: number | null = 12.5;
    const m = new DaemonMetrics('batman', 'node1', () => lease);
    m.observeCycle(0.02, 'no_action');
    m.observeCycle(0.3, 'promote');
    m.observeDcs('update_leader', 0.004, true);
    m.observeDcs('get_cluster', 2, false);
    m.observeRequest('/patroni', 'GET', 200, 0.001);
    m.observeRequest('/patroni', 'GET', 200, 0.002);
    m.leaderChanged({
      kind: 'switchover',
      from: 'a',
      to: 'b',
      atMs: 1_700_000_000_500,
      durationMs: 2500,
    });
    const text = await m.render();
    for (const name of [
      'patroni_ts_ha_cycle_duration_seconds',
      'patroni_ts_ha_decisions_total',
      'patroni_ts_dcs_request_duration_seconds',
      'patroni_ts_dcs_request_errors_total',
      'patroni_ts_leader_lease_remaining_seconds',
      'patroni_ts_last_leader_change_timestamp_seconds',
      'patroni_ts_last_leader_change_duration_seconds',
      'patroni_ts_rest_requests_total',
      'patroni_ts_rest_request_duration_seconds',
    ]) {
      assert.match(text, new RegExp(`^# HELP ${name} \\S`, 'm'));
      assert.match(text, new RegExp(`^# TYPE ${name} (counter|gauge|histogram)$`, 'm'));
    }
    assert.equal(value(text, /^patroni_ts_ha_cycle_duration_seconds_count\{scope="batman"\}/), 2);
    assert.equal(value(text, /^patroni_ts_ha_decisions_total\{kind="promote",scope="batman"\}/), 1);
    assert.equal(
      value(text, /^patroni_ts_dcs_request_errors_total\{operation="get_cluster",scope="batman"\}/),
      1,
    );
    assert.equal(
      value(
        text,
        /^patroni_ts_rest_requests_total\{route="\/patroni",method="GET",status="200",scope="batman"\}/,
      ),
      2,
    );
    assert.equal(
      value(text, /^patroni_ts_leader_lease_remaining_seconds\{member="node1",scope="batman"\}/),
      12.5,
    );
    assert.equal(
      value(
        text,
        /^patroni_ts_last_leader_change_timestamp_seconds\{kind="switchover",scope="batman"\}/,
      ),
      1_700_000_000.5,
    );
    assert.equal(
      value(
        text,
        /^patroni_ts_last_leader_change_duration_seconds\{kind="switchover",scope="batman"\}/,
      ),
      2.5,
    );
    // Not the leader: the lease series is absent rather than a misleading 0.
    lease = null;
    assert.doesNotMatch(await m.render(), /^patroni_ts_leader_lease_remaining_seconds\{/m);
  });

  it('lease time left is the keeper’s count in seconds, leader only', () => {
    assert.equal(leaseRemainingSeconds(30_000), 30);
    assert.equal(leaseRemainingSeconds(0), null);
    assert.equal(leaseRemainingSeconds(null), null);
  });
});
