import * as assert from 'node:assert/strict';
import { describeRun, groupRuns, runLabel, runTooltip } from '../../../src/extension/runsTree/runsGrouping';
import { summary } from '../../support/runFixtures';

describe('runs tree grouping', () => {
  it('groups by benchmark, then model, runs newest first', () => {
    const groups = groupRuns([
      summary({ id: 'a', benchmarkId: 'ifeval', model: 'qwen', createdAt: '2026-11-20T10:00:00Z' }),
      summary({ id: 'b', benchmarkId: 'humaneval', model: 'qwen', createdAt: '2026-11-20T11:00:00Z' }),
      summary({ id: 'c', benchmarkId: 'ifeval', model: 'qwen', createdAt: '2026-11-21T10:00:00Z' }),
      summary({ id: 'd', benchmarkId: 'ifeval', model: 'llama', createdAt: '2026-11-19T10:00:00Z' }),
    ]);
    assert.deepEqual(
      groups.map((g) => [g.benchmarkId, g.models.map((m) => [m.model, m.runs.map((r) => r.id)])]),
      [
        ['humaneval', [['qwen', ['b']]]],
        ['ifeval', [['llama', ['d']], ['qwen', ['c', 'a']]]],
      ],
    );
  });

  it('groups the runs of one model matrix together, ahead of the models; a lone matrix id is not a matrix', () => {
    const now = new Date('2026-11-25T12:00:00Z');
    const groups = groupRuns(
      [
        summary({ id: 'm1', benchmarkId: 'ifeval', model: 'q8', matrixId: 'abc', createdAt: '2026-11-20T10:00:00Z' }),
        summary({ id: 'm2', benchmarkId: 'ifeval', model: 'q4', matrixId: 'abc', createdAt: '2026-11-20T10:00:01Z' }),
        summary({ id: 'x', benchmarkId: 'ifeval', model: 'q4', createdAt: '2026-11-21T10:00:00Z' }),
        summary({ id: 'lone', benchmarkId: 'ifeval', model: 'q8', matrixId: 'zzz', createdAt: '2026-11-22T10:00:00Z' }),
      ],
      now,
    );
    const models = groups[0].models;
    assert.deepEqual(models.map((m) => [m.matrixId, m.runs.map((r) => r.id)]), [['abc', ['m2', 'm1']], [undefined, ['x']], [undefined, ['lone']]]);
    assert.match(models[0].model, /^Matrix 20 Nov \d\d:\d\d · q4, q8$/);
  });

  it('uses the label as the model name when a run has one', () => {
    const groups = groupRuns([summary({ id: 'a', model: 'qwen2.5-7b-instruct-q4_k_m.gguf', label: 'Qwen 7B Q4' })]);
    assert.equal(groups[0].models[0].model, 'Qwen 7B Q4');
  });

  it('labels a run with its date and describes it with headline score and status', () => {
    const now = new Date('2026-11-25T12:00:00Z');
    assert.match(runLabel(summary(), now), /^20 Nov \d\d:\d\d$/);
    assert.match(runLabel(summary({ createdAt: new Date(now.getTime() - 60_000).toISOString() }), now), /^\d\d:\d\d:\d\d$/);
    assert.equal(describeRun(summary({ headline: { name: 'prompt_strict', label: 'Prompt strict', value: 0.7245, n: 541 } })), '72.5% · done');
    assert.equal(describeRun(summary({ status: 'running', counts: { total: 541, passed: 80, wrong: 38, request_failed: 2, scoring_error: 0, pending: 421 } })), 'running 120/541');
    // A run with request failures says its headline is over fewer samples, and ends "done with errors".
    const withErrors = { total: 30, passed: 12, wrong: 4, request_failed: 14, scoring_error: 0, pending: 0 };
    assert.equal(
      describeRun(summary({ status: 'done_with_errors', counts: withErrors, headline: { name: 'accuracy', label: 'Accuracy', value: 0.75, n: 16 } })),
      '75.0% of 16 judged · done with errors',
    );
    // A cancelled run's headline is over the samples judged before it stopped, not over the run's 541.
    const stopped = { total: 541, passed: 72, wrong: 28, request_failed: 0, scoring_error: 0, pending: 441 };
    assert.equal(describeRun(summary({ status: 'cancelled', counts: stopped, headline: { name: 'prompt_strict', label: 'Prompt strict', value: 0.72, n: 100 } })), '72.0% of 100 judged · cancelled');
  });

  it('shows no metric value in the tooltip of a run with no judged sample (its 0 is not a score)', () => {
    const allFailed = { total: 4, passed: 0, wrong: 0, request_failed: 4, scoring_error: 0, pending: 0 };
    const run = summary({ status: 'done_with_errors', counts: allFailed, metrics: [{ name: 'accuracy', label: 'Accuracy', value: 0, n: 0 }] });
    const tooltip = runTooltip(run);
    assert.doesNotMatch(tooltip, /0\.0%/);
    assert.match(tooltip, /Samples: 4 \(request failed 4\)/);
    assert.equal(describeRun(run), 'done with errors');
  });
});
