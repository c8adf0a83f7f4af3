import * as assert from 'node:assert/strict';
import { deltaAgainstBaseline, leaderboard, matrix } from '../../../src/core/compare/tables';
import type { RunSummary } from '../../../src/core/storage/types';
import { binaryRun } from '../../support/runFixtures';

function summary(id: string, model: string, value: number, extra: Partial<RunSummary> = {}): RunSummary {
  const headline = { name: 'accuracy', label: 'Accuracy', value, n: 100 };
  return {
    id, file: `${id}.sqlite`, createdAt: `2026-11-2${id.length}T00:00:00.000Z`, updatedAt: '', status: 'done', benchmarkId: 'custom', benchmarkVersion: '1',
    model, baseUrl: 'http://127.0.0.1:8080/v1', headline, metrics: [headline, { name: 'pass_rate', label: 'Pass rate', value: 1 - value, n: 100 }],
    counts: { total: 100, passed: Math.round(value * 100), wrong: 100 - Math.round(value * 100), request_failed: 0, scoring_error: 0, pending: 0 }, ...extra,
  };
}

describe('tables over many runs', () => {
  it('matrix: one row per metric, one cell per run, with intervals', () => {
    const runs = [binaryRun('a', [true, true, false, false]), binaryRun('b', [true, true, true, false])];
    const m = matrix(runs, { resamples: 500 });
    assert.deepEqual(m.columns.map((c) => c.id), ['a', 'b']);
    assert.deepEqual(m.rows.map((r) => r.name), ['accuracy']);
    assert.deepEqual(m.rows[0].cells.map((c) => c!.value), [0.5, 0.75]);
    assert.equal(m.rows[0].cells[0]!.method, 'wilson');
    assert.ok(m.rows[0].cells[1]!.ci.lo < 0.75 && m.rows[0].cells[1]!.ci.hi > 0.75);
  });

  it('leaderboard: best first, one row per model (newest finished run), ties share a rank', () => {
    const rows = leaderboard([
      summary('r1', 'llama', 0.6),
      summary('r22', 'llama', 0.7), // newer run of the same model wins
      summary('r333', 'qwen', 0.7),
      summary('r4444', 'phi', 0.9, { status: 'interrupted', createdAt: '2026-12-31T00:00:00.000Z' }),
      summary('r55555', 'phi', 0.5), // a finished run wins over a newer interrupted one
      summary('x', 'other-bench', 0.99, { benchmarkId: 'ifeval' }),
    ], 'custom');
    assert.deepEqual(rows.map((r) => [r.rank, r.label, r.value]), [[1, 'llama', 0.7], [1, 'qwen', 0.7], [3, 'phi', 0.5]]);
    const byPassRate = leaderboard([summary('r1', 'a', 0.6), summary('r2', 'b', 0.8)], 'custom', 'pass_rate');
    assert.deepEqual(byPassRate.map((r) => r.label), ['a', 'b']);
  });

  it('deltaAgainstBaseline compares each run with the baseline as A', () => {
    const base = binaryRun('base', [true, true, true, false]);
    const [x, y] = deltaAgainstBaseline(base, [binaryRun('x', [true, false, false, false]), binaryRun('y', [true, true, true, true])], { resamples: 500 });
    assert.equal(x.a.id, 'base');
    assert.equal(x.headline!.delta, -0.5);
    assert.equal(y.headline!.delta, 0.25);
  });
});
