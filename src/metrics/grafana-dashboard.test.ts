import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { primaryView } from '../core/health/fixtures.js';
import { renderMetrics } from '../core/health/metrics.js';
import { DaemonMetrics } from './registry.js';

interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly gridPos: { h: number; w: number; x: number; y: number };
  readonly targets?: readonly { expr: string }[];
}

const dashboard = JSON.parse(readFileSync('contrib/grafana/patroni-ts.json', 'utf8')) as {
  title: string;
  uid: string;
  schemaVersion: number;
  panels: readonly Panel[];
  templating: { list: readonly { name: string }[] };
  annotations: { list: readonly { expr?: string }[] };
};

/** Every series name /metrics can show: Patroni's and ours (histograms with their suffixes). */
async function exposedNames(): Promise<Set<string>> {
  const m = new DaemonMetrics('batman', 'node1', () => 10);
  m.observeCycle(0.1, 'no_action');
  m.observeDcs('get_cluster', 0.01, false);
  m.observeRequest('/patroni', 'GET', 200, 0.001);
  m.leaderChanged({ kind: 'failover', from: 'a', to: 'b', atMs: 1, durationMs: 1 });
  const text = renderMetrics(primaryView()) + (await m.render());
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const name = /^([a-z_]+)[{ ]/.exec(line)?.[1];
    if (name !== undefined) names.add(name);
  }
  return names;
}

describe('contrib/grafana/patroni-ts.json', () => {
  it('is a dashboard Grafana imports: schema version, uid, unique panel ids, a data source input', () => {
    assert.equal(dashboard.title, 'patroni-ts');
    assert.equal(dashboard.uid, 'patroni-ts');
    assert.ok(Number.isInteger(dashboard.schemaVersion) && dashboard.schemaVersion >= 36);
    const ids = dashboard.panels.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const p of dashboard.panels) {
      assert.ok(p.gridPos.w > 0 && p.gridPos.x + p.gridPos.w <= 24, p.title);
      if (p.type !== 'row') assert.ok((p.targets ?? []).length > 0, p.title);
    }
    assert.deepEqual(
      dashboard.templating.list.map((v) => v.name),
      ['datasource', 'scope'],
    );
  });

  it('queries only series that /metrics exposes, and uses every series patroni-ts adds', async () => {
    const names = await exposedNames();
    const exprs = [
      ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)),
      ...dashboard.annotations.list.flatMap((a) => (a.expr === undefined ? [] : [a.expr])),
    ];
    const used = new Set(exprs.flatMap((e) => e.match(/\bpatroni_[a-z_]+/g) ?? []));
    for (const name of used) assert.ok(names.has(name), `${name} is not exposed`);
    const ours = [...names].filter((n) => n.startsWith('patroni_ts_') && !/_(sum|count)$/.test(n));
    for (const name of ours) {
      const base = name.replace(/_bucket$/, '');
      assert.ok(
        [...used].some((u) => u.startsWith(base)),
        `${name} is not on the dashboard`,
      );
    }
  });
});
