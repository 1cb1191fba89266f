import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { demoLayout } from './layout.js';
import { renderDemoConfig } from './patroni-config.js';

describe('the demo patroni.yml', () => {
  const layout = demoLayout('/srv/demo');
  const node = layout.nodes[1];
  assert.ok(node);
  const text = renderDemoConfig(layout, node);
  // PyYAML (Patroni) reads YAML 1.1: a bare `on` would be a boolean there.
  const doc = parse(text, { version: '1.1' }) as Partial<Record<string, Record<string, unknown>>>;

  it('names the node and its own ports and directories', () => {
    assert.equal(doc['name'], 'node2');
    assert.deepEqual(doc['restapi'], {
      listen: `127.0.0.1:${node.restPort}`,
      connect_address: `127.0.0.1:${node.restPort}`,
    });
    const pg = doc['postgresql'] ?? {};
    assert.equal(pg['data_dir'], '/srv/demo/node2/data');
    assert.equal(pg['listen'], `127.0.0.1:${node.pgPort}`);
  });

  it('keeps a timing Patroni accepts: loop_wait + 2 * retry_timeout <= ttl', () => {
    const dcs = (doc['bootstrap']?.['dcs'] ?? {}) as Record<string, number>;
    assert.ok((dcs['loop_wait'] ?? 0) + 2 * (dcs['retry_timeout'] ?? 0) <= (dcs['ttl'] ?? 0));
  });

  it('sets no parameter Patroni would reject with "failed validation"', () => {
    const dcs = doc['bootstrap']?.['dcs'] as { postgresql: { parameters: object } };
    const names = Object.keys(dcs.postgresql.parameters);
    for (const forced of ['hot_standby', 'wal_log_hints', 'port', 'listen_addresses'])
      assert.ok(!names.includes(forced), forced);
    assert.doesNotMatch(text, /: on$/m);
  });
});
