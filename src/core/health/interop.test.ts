import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { failoverLimitation, parsePeerStatus } from '../ha/peer-status.js';
import { primaryView, replicaView } from './fixtures.js';
import type { NodeView } from './node-view.js';
import { statusDocument } from './status.js';
import { UNKNOWN_PG_STATE } from '../model/local-pg.js';

/** What a peer's leader race reads from our `GET /patroni`, through the wire. */
function asPeerSees(view: NodeView): ReturnType<typeof parsePeerStatus> {
  return parsePeerStatus(JSON.parse(JSON.stringify(statusDocument(view))));
}

describe('our status document, as the leader race of a peer reads it', () => {
  it('a running primary says so, with its WAL position', () => {
    const s = asPeerSees(primaryView());
    assert.equal(s?.isPrimary, true);
    assert.equal(s.walPosition, 67111792);
    assert.equal(s.timeline, 1);
    assert.equal(failoverLimitation(s), null);
  });
  it('a replica reports the larger of received and replayed', () => {
    const v = replicaView({ pg: { ...replicaView().pg, receiveLsn: 500, replayLsn: 400 } });
    const s = asPeerSees(v);
    assert.equal(s?.isPrimary, false);
    assert.equal(s.walPosition, 500);
  });
  it('nofailover (effective tags) and a failed watchdog rule a member out', () => {
    assert.equal(
      failoverLimitation(asPeerSees(replicaView({ effectiveTags: { nofailover: true } }))),
      'not allowed to promote',
    );
    assert.equal(
      failoverLimitation(asPeerSees(replicaView({ watchdogHealthy: false }))),
      'not watchdog capable',
    );
  });
  it('PostgreSQL down means no xlog: the peer counts us as unreachable', () => {
    assert.equal(asPeerSees(replicaView({ pg: UNKNOWN_PG_STATE })), null);
  });
});
