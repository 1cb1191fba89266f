import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Samples } from './samples.js';
import { debianPatroni, patroniTs } from './system.js';
import { renderTable } from './table.js';

describe('renderTable', () => {
  it('has rows only for the figures some system measured or failed', () => {
    const ours = new Samples();
    ours.add('failover.gap', 4);
    ours.add('failover.lost', 0);
    const theirs = new Samples();
    theirs.fail('failover.rejoin', 'timed out');
    const table = renderTable(
      [patroniTs('.'), debianPatroni()],
      new Map([
        ['patroni-ts', ours],
        ['patroni', theirs],
      ]),
    );
    const rows = table
      .split('\n')
      .slice(2)
      .map((r) => r.split(' | ')[0]?.trim());
    assert.deepEqual(rows, [
      'unplanned failover: write gap',
      'unplanned failover: acked rows missing',
      'killed node streaming again after restart',
    ]);
    assert.match(table, /failed x1/);
  });
});
