import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../testing/scenarios.js';
import { pyJsonDumps } from './pyjson.js';
import { safeDump } from './pyyaml.js';

/** Values dumped by PyYAML 6 and Python's json exactly as patronictl dumps them (generate-yaml.py). */
const cases = JSON.parse(readFileSync(join(FIXTURES, 'yaml-cases.json'), 'utf8')) as {
  value: unknown;
  block: string;
  flow: string;
  json: string;
}[];

describe('safeDump matches PyYAML safe_dump', () => {
  for (const c of cases) {
    it(JSON.stringify(c.value).slice(0, 60), () => {
      assert.equal(safeDump(c.value), c.block, 'block style');
      assert.equal(safeDump(c.value, { flow: true }), c.flow, 'flow style');
    });
  }
});

describe("pyJsonDumps matches Python's json.dumps", () => {
  for (const c of cases) {
    it(JSON.stringify(c.value).slice(0, 60), () => {
      assert.equal(pyJsonDumps(c.value), c.json);
    });
  }
});
