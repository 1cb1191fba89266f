import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { methodLabel, routeLabeller } from './metrics-port.js';
import { routeTable } from './routes/index.js';

describe('REST metrics labels stay bounded', () => {
  const label = routeLabeller(routeTable());
  it('names the API routes and health checks by their first segment', () => {
    assert.equal(label('/patroni'), '/patroni');
    assert.equal(label('/patroni/anything?x=1'), '/patroni');
    assert.equal(label('/replica?lag=1MB'), '/replica');
    assert.equal(label('/read-only-sync'), '/read-only-sync');
    assert.equal(label('/switchover'), '/switchover');
    assert.equal(label('/'), '/');
    assert.equal(label('http://10.0.0.1:8008/cluster'), '/cluster');
  });
  it('puts any other path and method under other', () => {
    assert.equal(label('/wp-admin/login.php'), 'other');
    assert.equal(methodLabel('GET'), 'GET');
    assert.equal(methodLabel('BREW'), 'other');
    assert.equal(methodLabel(undefined), 'other');
  });
});
