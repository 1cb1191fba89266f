import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderHaproxyConfig } from './haproxy-config.js';

describe('renderHaproxyConfig', () => {
  it('checks /primary for writes and /replica for reads on every node', () => {
    const text = renderHaproxyConfig({
      bindHost: '127.0.0.1',
      readWritePort: 5000,
      readOnlyPort: 5001,
      statsPort: 7000,
      checkIntervalMs: 500,
      backends: [
        { name: 'node1', host: '127.0.0.1', pgPort: 5432, restPort: 8008 },
        { name: 'node2', host: '127.0.0.1', pgPort: 5433, restPort: 8009 },
      ],
    });
    const lines = text.split('\n');
    const primary = lines.indexOf('listen primary');
    const replicas = lines.indexOf('listen replicas');
    assert.ok(primary > 0 && replicas > primary);
    assert.equal(lines[primary + 1], '    bind 127.0.0.1:5000');
    assert.equal(lines[primary + 2], '    option httpchk OPTIONS /primary');
    assert.equal(lines[replicas + 2], '    option httpchk OPTIONS /replica');
    assert.ok(lines.includes('    server node2 127.0.0.1:5433 maxconn 100 check port 8009'));
    assert.ok(lines.includes('    bind 127.0.0.1:7000'));
  });
});
