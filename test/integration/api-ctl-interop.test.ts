import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RestApiServer } from '../../src/api/server.js';
import { FakeApiContext } from '../../src/api/testing/fake-context.js';
import { createRestClient } from '../../src/ctl/rest-client.js';
import { memberOf } from '../../src/core/health/fixtures.js';
import type { Member } from '../../src/core/model/member.js';

/** patronictl's own REST client talking to our REST API: the two halves must agree. */
describe('patronictl REST client against the REST API', () => {
  const ctx = new FakeApiContext();
  const server = new RestApiServer({
    options: { listen: '127.0.0.1:0', authentication: { username: 'admin', password: 'pw' } },
    context: ctx,
  });
  let member: Member = memberOf('node1', 1);
  const settings = {
    cacert: null,
    certfile: null,
    keyfile: null,
    keyfilePassword: null,
    insecure: false,
  };

  before(async () => {
    await server.start();
    member = {
      ...memberOf('node1', 1),
      apiUrl: `http://127.0.0.1:${server.address().port}/patroni`,
    };
  });
  after(async () => {
    await server.stop();
  });

  it('reads the status document from api_url', async () => {
    const client = createRestClient({ settings: { ...settings, auth: null } });
    const res = await client.request(member, 'GET');
    assert.equal(res.status, 200);
    assert.equal((JSON.parse(res.body) as Record<string, unknown>)['role'], 'master');
  });

  it('authenticated restart, reload and scheduled restart with Python-style JSON bodies', async () => {
    const client = createRestClient({ settings: { ...settings, auth: 'admin:pw' } });
    assert.deepEqual(await client.request(member, 'POST', 'restart', {}), {
      status: 200,
      body: 'restarted successfully',
    });
    assert.deepEqual(await client.request(member, 'POST', 'reload'), {
      status: 202,
      body: 'reload scheduled',
    });
    const scheduled = await client.request(member, 'POST', 'restart', {
      schedule: '2099-01-01T00:00:00+00:00',
      role: 'master',
    });
    assert.deepEqual(scheduled, { status: 202, body: 'Restart scheduled' });
    assert.deepEqual(ctx.scheduled, { schedule: '2099-01-01T00:00:00+00:00', role: 'master' });
  });

  it('without credentials the server refuses with 401', async () => {
    const client = createRestClient({ settings: { ...settings, auth: null } });
    const res = await client.request(member, 'POST', 'reload');
    assert.deepEqual(res, { status: 401, body: 'no auth header received' });
  });
});
