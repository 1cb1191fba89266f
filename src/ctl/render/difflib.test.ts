import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../testing/scenarios.js';
import { unifiedDiff } from './difflib.js';

/** Random edits of config-like texts, diffed by Python's difflib (generate-diff.py). */
const cases = JSON.parse(readFileSync(join(FIXTURES, 'diff-cases.json'), 'utf8')) as {
  before: string;
  after: string;
  diff: string[];
}[];

describe('unifiedDiff matches difflib.unified_diff', () => {
  cases.forEach((c, i) => {
    it(`case ${i}`, () => {
      assert.deepEqual(unifiedDiff(c.before, c.after), c.diff);
    });
  });
});
