import { strict as assert } from 'node:assert';
import { HumanevalScorer, humanevalBenchmark, humanevalOfflineAdapter, type HumanevalScoreDetails } from '../../../src/core/benchmarks/humaneval';
import { readJsonl, requireSharedData } from '../../support/sharedData';
import { resolveInterpreter } from '../../../src/core/benchmarks/humaneval/nativeExecutor';
import type { BenchmarkItem } from '../../../src/core/benchmarks/types';
import type { HumanevalItemData } from '../../../src/core/benchmarks/humaneval/dataset';

const item: BenchmarkItem<HumanevalItemData> = {
  id: 'Toy/0',
  data: {
    prompt: 'def add(a, b):\n    """Add two numbers."""\n',
    test: 'def check(candidate):\n    assert candidate(1, 2) == 3\n    assert candidate(-1, 1) == 0\n',
    entryPoint: 'add',
  },
};

describe('humaneval scorer (native executor)', function () {
  this.timeout(30_000);
  let scorer: HumanevalScorer;

  before(async function () {
    try {
      await resolveInterpreter();
    } catch {
      this.skip();
    }
    scorer = new HumanevalScorer({ executor: 'native', parallelism: 2 });
  });
  after(async () => scorer?.dispose());

  const score = (response: string, options: Record<string, unknown> = {}, truncated = false) =>
    scorer.score({ benchmarkId: 'humaneval', item, response, options, truncated });

  it('passes a chat reply with a fenced full function', async () => {
    const s = await score('Here you go:\n```python\ndef add(a, b):\n    return a + b\n```', { promptMode: 'chat' });
    assert.equal(s.passed, true);
    assert.equal(s.score, 1);
    assert.deepEqual(s.values, { passed: 1 });
    assert.equal(s.failureCause, undefined);
    const details = s.details as HumanevalScoreDetails;
    assert.equal(details.result, 'passed');
    assert.equal(details.executor, 'native');
    assert.equal(details.extraction, 'fenced_full_function');
  });

  it('runs a completions-mode reply cut at the stop sequences', async () => {
    const s = await score('    return a + b\n\ndef unrelated(:\n', { promptMode: 'completions' });
    assert.equal(s.passed, true);
  });

  it('explains a failing assertion with the failing line', async () => {
    const s = await score('    return a - b\n');
    assert.equal(s.passed, false);
    assert.equal(s.failureCause, 'assertion');
    const tests = s.explanation.find((e) => e.check === 'tests')!;
    assert.match(tests.detail, /a test failed: assert candidate\(1, 2\) == 3/);
    assert.match((s.details as HumanevalScoreDetails).traceback!, /AssertionError/);
  });

  it('tells syntax errors, runtime errors, timeouts and extraction failures apart', async () => {
    const syntax = await score('    return (a + b\n');
    assert.equal(syntax.failureCause, 'syntax_error');
    assert.match(syntax.explanation[1].detail, /^SyntaxError: '\(' was never closed/);
    const runtime = await score('    return undefined_name\n');
    assert.equal(runtime.failureCause, 'runtime_error');
    assert.match(runtime.explanation[1].detail, /NameError: name 'undefined_name' is not defined at return undefined_name/);
    const timeout = await score('    while True:\n        pass\n', { timeoutMs: 300 });
    assert.equal(timeout.failureCause, 'timeout');
    assert.match(timeout.explanation[1].detail, /timed out after 0.3 s/);
    const none = await score('I would rather not.', { promptMode: 'chat' });
    assert.equal(none.failureCause, 'extraction');
    assert.equal(none.passed, false);
    assert.match(none.explanation[0].detail, /no Python code/);
  });

  it('blames truncation when a reply cut at max_tokens fails', async () => {
    const s = await score('```python\ndef add(a, b):\n    return (a +', { promptMode: 'chat' }, true);
    assert.equal(s.failureCause, 'truncated');
    assert.match(s.explanation[1].detail, /cut at max_tokens/);
  });

  it('passes an object whose == is always true, as the official harness does, and flags it suspicious', async () => {
    const s = await score('    class Any:\n        def __eq__(self, other):\n            return True\n    return Any()\n', { promptMode: 'as_given' });
    assert.equal(s.passed, true);
    const details = s.details as HumanevalScoreDetails;
    assert.match(details.suspicious ?? '', /type Any, which is not a built-in type/);
    assert.match(s.explanation.find((e) => e.check === 'suspicious')?.detail ?? '', /^suspicious pass/);
    assert.equal(details.isolation?.executor, 'native (python3 forked per program)');
  });

  it('refuses an unknown executor', async () => {
    await assert.rejects(score('    return a + b\n', { executor: 'docker' }), /unknown HumanEval executor 'docker'/);
  });

  it('scores the official toy samples as the official harness did (pass@1 = 0.5), as given', async function () {
    this.timeout(20_000);
    const problemFile = requireSharedData(this, 'humaneval/example_problem.jsonl');
    const samplesFile = requireSharedData(this, 'humaneval/example_samples.jsonl');
    const toy = (await humanevalBenchmark.loadDataset({ path: problemFile, cacheDir: '' })).items[0];
    const rows = readJsonl(samplesFile).map((row, i) => humanevalOfflineAdapter.parseRow(row, `samples:${i + 1}`));
    const scores = await Promise.all(rows.map((r) => scorer.score({ benchmarkId: 'humaneval', item: toy, response: r.response, options: { promptMode: 'as_given' } })));
    const printed = scores.map((s) => humanevalOfflineAdapter.formatRow(toy, '', s));
    assert.deepEqual(printed, [
      { task_id: 'test/0', passed: false, result: "failed: 'NoneType' object is not callable" },
      { task_id: 'test/0', passed: false, result: 'timed out' },
      { task_id: 'test/0', passed: false, result: 'failed: ' },
      { task_id: 'test/0', passed: true, result: 'passed' },
      { task_id: 'test/0', passed: true, result: 'passed' },
      { task_id: 'test/0', passed: true, result: 'passed' },
    ]);
    const metrics = humanevalBenchmark.aggregate(scores.map((score, sampleIndex) => ({ itemId: 'test/0', sampleIndex, score })), 1);
    assert.equal(metrics[0].name, 'pass@1');
    assert.ok(Math.abs(metrics[0].value - 0.5) < 1e-12);
  });
});
