import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPatroniError } from '../shared/errors.js';
import { parseDynamicConfig, parseDynamicConfigText } from './dynamic.js';

describe('parseDynamicConfig (the DCS config key)', () => {
  it('reads a typical config written by Patroni', () => {
    const { config, problems } = parseDynamicConfigText(
      '{"ttl":30,"loop_wait":10,"retry_timeout":10,"maximum_lag_on_failover":1048576,' +
        '"postgresql":{"use_pg_rewind":true,"use_slots":true,"parameters":{"max_connections":100}},' +
        '"pause":true,"slots":{"s":{"type":"physical"}}}',
    );
    assert.deepEqual(problems, []);
    assert.equal(config.ttl, 30);
    assert.equal(config.pause, true);
    assert.equal(config.postgresql?.use_slots, true);
    assert.deepEqual(config.postgresql.parameters, { max_connections: 100 });
  });

  it('keeps unknown keys (other versions may read them)', () => {
    const { config } = parseDynamicConfig({ ttl: 30, future_knob: { a: 1 } });
    assert.deepEqual(config['future_knob'], { a: 1 });
  });

  it('accepts Python-ish forms: "on", "30", null pause', () => {
    const { config, problems } = parseDynamicConfig({
      synchronous_mode: 'on',
      loop_wait: '5',
      pause: null,
      standby_cluster: { host: 'a,b', port: '5433' },
    });
    assert.deepEqual(problems, []);
    assert.equal(config.synchronous_mode, true);
    assert.equal(config.loop_wait, 5);
    assert.equal(config.pause, null);
    assert.equal(config.standby_cluster?.host, 'a,b', 'kept as written: Python peers read it back');
    assert.equal(config.standby_cluster.port, 5433);
  });

  it('drops only the invalid values and says which', () => {
    const { config, problems } = parseDynamicConfig({
      ttl: 'abc',
      loop_wait: 7,
      synchronous_node_count: 0,
      postgresql: { use_slots: 'maybe', use_pg_rewind: true },
    });
    assert.deepEqual(problems, [
      'ttl abc is not and integer',
      "synchronous_node_count 0 didn't pass validation: Wrong value",
      'postgresql.use_slots maybe is not a boolean',
    ]);
    assert.equal(config.ttl, undefined);
    assert.equal(config.loop_wait, 7);
    assert.equal(config.postgresql?.use_pg_rewind, true);
    assert.equal(config.postgresql.use_slots, undefined);
  });

  it('a value that is not a mapping is an empty config with a problem', () => {
    assert.deepEqual(parseDynamicConfig([1, 2]), {
      config: {},
      problems: ['config is not a dictionary'],
    });
  });

  it('text that is not JSON is CONFIG_INVALID', () => {
    assert.throws(
      () => parseDynamicConfigText('{ttl: 30'),
      (e) => isPatroniError(e, 'CONFIG_INVALID'),
    );
  });
});
