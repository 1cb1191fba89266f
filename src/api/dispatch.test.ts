import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { firstSegment, splitTarget } from './dispatch.js';

describe('request targets', () => {
  it('splits path and query like urlparse, absolute form included', () => {
    assert.deepEqual(splitTarget('/replica?lag=1MB'), { path: '/replica', search: 'lag=1MB' });
    assert.deepEqual(splitTarget('http://10.0.0.1:8008/patroni'), { path: '/patroni', search: '' });
    assert.deepEqual(splitTarget('/health#x'), { path: '/health', search: '' });
  });
  it('routes on the first path segment', () => {
    assert.equal(firstSegment('/patroni/anything'), 'patroni');
    assert.equal(firstSegment('//config'), 'config');
    assert.equal(firstSegment('/'), '');
  });
});
