/**
 * Test helper: the golden scenarios of test/fixtures/ctl, loaded as the snapshot our DCS codec
 * builds from the same keys the real patronictl 3.0.2 read when the golden files were made.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterSnapshot } from '../../core/model/index.js';
import { buildSnapshot } from '../../dcs/codec/snapshot.js';

export const FIXTURES = new URL('../../../test/fixtures/ctl/', import.meta.url).pathname;

export interface Scenario {
  readonly name: string;
  readonly scope: string;
  readonly keys: Readonly<Record<string, unknown>>;
  readonly snapshot: ClusterSnapshot;
}

export function loadScenarios(): Scenario[] {
  const dir = join(FIXTURES, 'scenarios');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const raw = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
        scope: string;
        keys: Record<string, unknown>;
      };
      const entries = Object.entries(raw.keys).map(([key, value], i) => ({
        key,
        value: typeof value === 'string' ? value : JSON.stringify(value),
        index: i + 1,
        session: null,
      }));
      return {
        name: file.replace(/\.json$/, ''),
        scope: raw.scope,
        keys: raw.keys,
        snapshot: buildSnapshot(entries),
      };
    });
}

export interface GoldenCase {
  readonly name: string;
  readonly args: readonly string[];
}

export function loadCases(): GoldenCase[] {
  return JSON.parse(readFileSync(join(FIXTURES, 'cases.json'), 'utf8')) as GoldenCase[];
}

/** The stdout patronictl 3.0.2 printed, or null when it crashed on that case. */
export function golden(scenario: string, caseName: string): string | null {
  const path = join(FIXTURES, 'golden', scenario, `${caseName}.out`);
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}
