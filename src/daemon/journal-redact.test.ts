import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inputs, record } from '../core/journal/test-records.js';
import { redactRecord } from './journal-redact.js';

describe('redactRecord: no secret reaches the journal', () => {
  it('masks passwords in log lines, task names and reason data, leaving the rest alone', () => {
    const leaky = record(undefined, {
      log: ['running pg_rewind from host=10.0.0.1 user=rewind password=hunter2 dbname=postgres'],
      inputs: inputs({ inFlight: 'clone from postgres://replicator:s3cret@10.0.0.1:5432/x' }),
    });
    const clean = redactRecord(leaky);
    const text = JSON.stringify(clean);
    assert.ok(!text.includes('hunter2'));
    assert.ok(!text.includes('s3cret'));
    assert.match(clean.log[0] ?? '', /password=\*{6}/);
    assert.equal(clean.sentence, leaky.sentence);
    assert.deepEqual(clean.reason, leaky.reason);
    assert.equal(clean.inputs.lsn, 100);
  });
});
