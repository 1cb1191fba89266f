import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SelfIdentity } from '../core/ha/input.js';
import type { PeerClient } from './peer-client.js';
import { answerQuery, type QueryDeps } from './queries.js';

function deps(sent: unknown[], slots: Record<string, number> | null): QueryDeps {
  const peers = {
    post: (_url: string, _endpoint: string, body: unknown) => {
      sent.push(body);
      return Promise.resolve({ status: 200, body: 'Accepted' });
    },
  } as unknown as PeerClient;
  return {
    peers,
    self: {
      name: 'postgres0',
      connUrl: 'postgres://127.0.0.1:5361/postgres',
      apiUrl: 'http://127.0.0.1:8008/patroni',
    } as unknown as SelfIdentity,
    publishedSlots: () => Promise.resolve(slots),
  } as unknown as QueryDeps;
}

describe('answerQuery: failsafePing', () => {
  const query = {
    kind: 'failsafePing' as const,
    members: [{ name: 'postgres1', apiUrl: 'http://127.0.0.1:8009/patroni' }],
  };

  it("sends the primary's slot positions, as Patroni's check_failsafe_topology does", async () => {
    const sent: unknown[] = [];
    const answers = await answerQuery(query, {}, deps(sent, { dcs_slot_0: 67206952 }));
    assert.equal(answers.failsafeAccepted, true);
    assert.deepEqual(sent, [
      {
        name: 'postgres0',
        conn_url: 'postgres://127.0.0.1:5361/postgres',
        api_url: 'http://127.0.0.1:8008/patroni',
        slots: { dcs_slot_0: 67206952 },
      },
    ]);
  });

  it('leaves slots out when there are none to publish', async () => {
    const sent: unknown[] = [];
    await answerQuery(query, {}, deps(sent, null));
    assert.equal(Object.hasOwn(sent[0] as object, 'slots'), false);
  });
});
