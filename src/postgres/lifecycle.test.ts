import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryLogger } from '../shared/log/logger.js';
import { PgLifecycle } from './lifecycle.js';

describe('PgLifecycle', () => {
  it('logs "from -> to" and refuses transitions outside the table', () => {
    const logger = new MemoryLogger();
    const l = new PgLifecycle(logger);
    assert.equal(l.transition('starting'), true);
    assert.equal(l.transition('running'), true);
    assert.equal(l.transition('creating replica'), false);
    assert.equal(l.state, 'running');
    assert.deepEqual(
      logger.lines.map((x) => x.message),
      [
        'postgres state stopped -> starting',
        'postgres state starting -> running',
        'refusing PostgreSQL state transition running -> creating replica',
      ],
    );
  });

  it('publishes restart failed with the state the restart ended in', () => {
    const l = new PgLifecycle(new MemoryLogger(), 'stop failed');
    l.restartFailed('stop failed');
    assert.equal(l.published, 'restart failed (stop failed)');
    assert.equal(l.transition('starting'), true);
  });

  for (const from of ['crashed', 'stopped', 'start failed'] as const) {
    it(`a postmaster that is ${from} may be restarted (POST /restart while paused)`, () => {
      const logger = new MemoryLogger();
      const l = new PgLifecycle(logger, from);
      assert.equal(l.transition('restarting'), true);
      assert.equal(l.published, 'restarting');
      assert.deepEqual(
        logger.lines.map((x) => x.level),
        ['DEBUG'],
      );
    });
  }
});
