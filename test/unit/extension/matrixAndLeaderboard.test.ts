import * as assert from 'node:assert/strict';
import { leaderboardView } from '../../../src/extension/panels/leaderboardViewModel';
import { matrixView } from '../../../src/extension/panels/matrixViewModel';
import { checkedScore, item, runRecord, sample, summary } from '../../support/runFixtures';

function run(id: string, label: string, passed: boolean[]) {
  const items = passed.map((_, i) => item(`q${i + 1}`, i));
  const base = runRecord();
  return {
    run: runRecord(id, { endpoint: { ...base.config.endpoint, label } }),
    items,
    samples: passed.map((p, i) => sample(`q${i + 1}`, checkedScore(p))),
  };
}

describe('model matrix view model', () => {
  const runs = [run('r1', 'full', [true, true, true, false]), run('r2', 'q8', [true, true, false, false]), run('r3', 'q4', [true, false, false, false])];

  it('has one column per run and marks the best run of each row', () => {
    const view = matrixView(runs, { resamples: 200 });
    assert.deepEqual(view.columns.map((c) => c.label), ['full', 'q8', 'q4']);
    const accuracy = view.metrics[0];
    assert.deepEqual(accuracy.cells.map((c) => c?.value), [0.75, 0.5, 0.25]);
    assert.deepEqual(accuracy.best, [0]);
    for (const c of accuracy.cells) assert.ok(c && c.lo <= c.value && c.value <= c.hi, 'each cell carries its interval');
    assert.deepEqual(view.warnings, []);
  });

  it('marks ties as best, and items where the runs disagree', () => {
    const view = matrixView([...runs, run('r4', 'fp16', [true, true, true, false])], { resamples: 200 });
    assert.deepEqual(view.metrics[0].best, [0, 3]);
    assert.deepEqual(
      view.items.map((i) => [i.itemId, i.disagree]),
      [['q1', false], ['q2', true], ['q3', true], ['q4', false]],
    );
    assert.equal(view.disagreeing, 2);
    assert.deepEqual(view.items[2].outcomes, ['passed', 'wrong', 'wrong', 'passed']);
  });

  it('keeps disagreeing items first when the item limit cuts the table, in item order', () => {
    const view = matrixView(runs, { resamples: 200, itemLimit: 2 });
    assert.deepEqual(view.items.map((i) => i.itemId), ['q2', 'q3']);
    assert.equal(view.totalItems, 4);
  });

  it('warns when the runs are on different benchmarks or unfinished', () => {
    const other = run('r9', 'x', [true]);
    other.run = { ...other.run, status: 'cancelled', config: { ...other.run.config, benchmarkId: 'ifeval' } };
    const view = matrixView([runs[0], other], { resamples: 200 });
    assert.ok(view.warnings.some((w) => /different benchmarks/.test(w)));
    assert.ok(view.warnings.some((w) => /r9 is cancelled/.test(w)));
    assert.equal(view.items.find((i) => i.itemId === 'q2')?.outcomes[1], 'absent', 'an item the run does not have is absent');
    assert.ok(view.warnings.some((w) => /r9 is cancelled: only its judged items count/.test(w)));
  });

  it('shows a request failure, a scoring error and a pending sample as such, never as wrong, and not as a disagreement', () => {
    const failing = run('r5', 'q2', [true, true, true, false]);
    failing.samples[1] = { ...failing.samples[1], status: 'failed', error: 'server answered 500', response: undefined, score: { ...checkedScore(false), failureCause: 'http_error' } };
    failing.samples[2] = { ...failing.samples[2], score: { ...checkedScore(false), failureCause: 'scorer_crashed' } };
    failing.samples[3] = { ...failing.samples[3], score: undefined };
    const view = matrixView([runs[0], failing], { resamples: 200 });
    assert.deepEqual(view.items.map((i) => [i.itemId, ...i.outcomes]), [
      ['q1', 'passed', 'passed'],
      ['q2', 'passed', 'request_failed'],
      ['q3', 'passed', 'scoring_error'],
      ['q4', 'wrong', 'pending'],
    ]);
    assert.equal(view.disagreeing, 0, 'a run without a verdict does not disagree');
  });
});

describe('leaderboard view model', () => {
  const metric = (name: string, value: number) => ({ name, label: name === 'acc' ? 'Accuracy' : 'Loose', value, n: 10 });
  const summaries = [
    summary({ id: 'a', model: 'm1', benchmarkId: 'custom', headline: metric('acc', 0.5), metrics: [metric('acc', 0.5), metric('loose', 0.9)] }),
    summary({ id: 'b', model: 'm2', benchmarkId: 'custom', headline: metric('acc', 0.7), metrics: [metric('acc', 0.7), metric('loose', 0.6)] }),
    summary({ id: 'c', model: 'm2', benchmarkId: 'custom', createdAt: '2026-11-19T10:00:00.000Z', headline: metric('acc', 0.95), metrics: [metric('acc', 0.95)] }),
    summary({ id: 'd', model: 'm3', benchmarkId: 'ifeval', headline: metric('acc', 0.4), metrics: [metric('acc', 0.4)] }),
  ];

  it('has one table per benchmark and metric, headline first, best first, newest run per model', () => {
    const view = leaderboardView(summaries);
    assert.deepEqual(view.tables.map((t) => `${t.benchmarkId}/${t.metric}`), ['custom/acc', 'custom/loose', 'ifeval/acc']);
    // m2's older run (c, 95%) is replaced by its newer one (b, 70%).
    assert.deepEqual(view.tables[0].rows.map((r) => [r.rank, r.runId, r.value]), [[1, 'b', 0.7], [2, 'a', 0.5]]);
    assert.deepEqual(view.tables[1].rows.map((r) => r.runId), ['a', 'b']);
    assert.equal(view.tables[1].metricLabel, 'Loose');
  });

  it('says what each value is over, in samples, with the request failures and pending left out', () => {
    const withErrors = summary({ id: 'e', model: 'm4', benchmarkId: 'gsm8k', headline: metric('acc', 0.75), metrics: [metric('acc', 0.75)], counts: { total: 30, passed: 12, wrong: 4, request_failed: 3, scoring_error: 1, pending: 10 } });
    const view = leaderboardView([...summaries, withErrors]);
    assert.equal(view.tables.find((t) => t.benchmarkId === 'gsm8k')!.rows[0].denominator, 'of 16 judged (3 request failures, 1 scoring error, 10 pending)');
    assert.equal(view.tables[0].rows[0].denominator, 'of 10 judged');
  });

  it('also ranks every run, for the "every run" switch', () => {
    const view = leaderboardView(summaries);
    assert.deepEqual(view.tables[0].allRows.map((r) => [r.rank, r.runId]), [[1, 'c'], [2, 'b'], [3, 'a']]);
  });
});
