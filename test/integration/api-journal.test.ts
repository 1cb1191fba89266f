import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RestApiServer } from '../../src/api/server.js';
import { FakeApiContext } from '../../src/api/testing/fake-context.js';
import { call } from '../../src/api/testing/http-client.js';
import { reason } from '../../src/core/ha/reason.js';
import type { JournalReply } from '../../src/core/journal/entry.js';
import { record } from '../../src/core/journal/test-records.js';

describe('GET /journal and GET /why', () => {
  const ctx = new FakeApiContext();
  const server = new RestApiServer({ options: { listen: '127.0.0.1:0' }, context: ctx });
  let base = '';
  before(async () => {
    await server.start();
    base = `http://127.0.0.1:${server.address().port}`;
    const t0 = Date.parse('2026-12-05T22:00:00Z');
    ctx.decisions.record(record(reason('promotedAcquired')), t0);
    ctx.decisions.record(record(), t0 + 10_000);
    ctx.decisions.record(record(), t0 + 20_000);
  });
  after(async () => {
    await server.stop();
  });

  it('serves the whole journal as JSON, oldest first', async () => {
    const r = await call(`${base}/journal`);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    const body = JSON.parse(r.body) as JournalReply;
    assert.equal(body.seq, 3);
    assert.deepEqual(
      body.entries.map((e) => [e.kind, e.count, e.sentence]),
      [
        ['promotedAcquired', 1, 'promoted self to leader by acquiring session lock'],
        [
          'healthyReplica',
          2,
          'no action. I am (node2), a secondary, and following a leader (node1)',
        ],
      ],
    );
  });

  it('since a sequence number or a time returns only what changed after it', async () => {
    const bySeq = JSON.parse((await call(`${base}/journal?since=2`)).body) as JournalReply;
    assert.deepEqual(
      bySeq.entries.map((e) => e.kind),
      ['healthyReplica'],
    );
    const byTime = JSON.parse(
      (await call(`${base}/journal?since=2026-12-05T22:00:15Z`)).body,
    ) as JournalReply;
    assert.deepEqual(
      byTime.entries.map((e) => e.kind),
      ['healthyReplica'],
    );
    const none = JSON.parse((await call(`${base}/journal?since=3`)).body) as JournalReply;
    assert.deepEqual(none.entries, []);
  });

  it('a bad since is a 400 that says why', async () => {
    const r = await call(`${base}/journal?since=yesterday`);
    assert.equal(r.status, 400);
    assert.match(r.body, /since: expected a sequence number or an ISO 8601 time, got 'yesterday'/);
  });

  it('/why answers 503 before the first cycle, then the simulation as JSON', async () => {
    ctx.whatIf = null;
    assert.equal((await call(`${base}/why`)).status, 503);
    const why = reason('promotedAcquired');
    ctx.whatIf = {
      member: 'node2',
      leader: 'node1',
      wouldRace: true,
      reason: why,
      sentence: 'promoted self to leader by acquiring session lock',
      race: { raced: true, refusal: null, peers: [] },
      lsn: 100,
      timeline: 1,
      skipped: null,
    };
    const r = await call(`${base}/why`);
    assert.equal(r.status, 200);
    assert.equal((JSON.parse(r.body) as { wouldRace: boolean }).wouldRace, true);
  });
});
