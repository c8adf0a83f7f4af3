import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { humanevalBenchmark, humanevalOfflineAdapter, HUMANEVAL_STOP_SEQUENCES } from '../../../src/core/benchmarks/humaneval';
import type { ItemScore, ScoredSample } from '../../../src/core/benchmarks/types';
import { DatasetError } from '../../../src/core/errors';
import { requireSharedData } from '../../support/sharedData';
import { useTempDir } from '../../support/tempDir';

const ROW = { task_id: 'Toy/0', prompt: 'def add(a, b):\n    """Add."""\n', canonical_solution: '    return a + b\n', test: 'def check(candidate):\n    assert candidate(1, 2) == 3\n', entry_point: 'add' };

function sample(itemId: string, sampleIndex: number, passed: boolean): ScoredSample {
  const score: ItemScore = { passed, score: Number(passed), values: { passed: Number(passed) }, explanation: [] };
  return { itemId, sampleIndex, score };
}

describe('humaneval benchmark definition', () => {
  const tmp = useTempDir('evalbench-he-def-test-');

  it('loads the official .jsonl.gz with its 164 problems', async function () {
    const file = requireSharedData(this, 'humaneval/HumanEval.jsonl.gz');
    const dataset = await humanevalBenchmark.loadDataset({ path: file, cacheDir: tmp.path });
    assert.equal(dataset.items.length, 164);
    assert.equal(dataset.items[0].id, 'HumanEval/0');
    assert.equal(dataset.items[0].data.entryPoint, 'has_close_elements');
    assert.equal(dataset.sha256, 'b796127e635a67f93fb35c04f4cb03cf06f38c8072ee7cee8833d7bee06979ef');
  });

  it('loads a plain .jsonl and names the line of a bad row', async () => {
    const good = path.join(tmp.path, 'toy.jsonl');
    fs.writeFileSync(good, JSON.stringify(ROW) + '\n');
    const dataset = await humanevalBenchmark.loadDataset({ path: good, cacheDir: tmp.path });
    assert.deepEqual(dataset.items[0], { id: 'Toy/0', data: { prompt: ROW.prompt, test: ROW.test, entryPoint: 'add', canonicalSolution: ROW.canonical_solution } });
    const bad = path.join(tmp.path, 'bad.jsonl');
    fs.writeFileSync(bad, JSON.stringify(ROW) + '\n' + JSON.stringify({ ...ROW, task_id: 'Toy/1', test: undefined }) + '\n');
    await assert.rejects(humanevalBenchmark.loadDataset({ path: bad, cacheDir: tmp.path }), (e: Error) => e instanceof DatasetError && /bad\.jsonl:2: missing field 'test'/.test(e.message));
  });

  it('uses the bundled copy when no file is given, and says so in the origin', async () => {
    const dataset = await humanevalBenchmark.loadDataset({ cacheDir: tmp.path });
    assert.equal(dataset.items.length, 164);
    assert.equal(dataset.sha256, 'b796127e635a67f93fb35c04f4cb03cf06f38c8072ee7cee8833d7bee06979ef');
    assert.match(dataset.origin, /^bundled copy .*HumanEval\.jsonl\.gz$/);
  });

  it('builds chat and completions prompts', () => {
    const item = { id: 'Toy/0', data: { prompt: ROW.prompt, test: ROW.test, entryPoint: 'add' } };
    const chat = humanevalBenchmark.buildPrompt(item, 'chat');
    assert.equal(chat.messages?.length, 1);
    assert.match(chat.messages![0].content, /Complete the following Python function/);
    assert.ok(chat.messages![0].content.includes('```python\ndef add(a, b):\n    """Add."""\n```'));
    const completions = humanevalBenchmark.buildPrompt(item, 'completions');
    assert.equal(completions.prompt, ROW.prompt);
    assert.deepEqual(completions.stop, HUMANEVAL_STOP_SEQUENCES);
    assert.equal(humanevalBenchmark.defaultSampling.temperature, 0);
    assert.equal(humanevalBenchmark.defaultSampling.max_tokens, 512);
  });

  it('aggregates pass@k for the k the sample count allows, pass@1 first', () => {
    const one = humanevalBenchmark.aggregate([sample('a', 0, true), sample('b', 0, false)], 2);
    assert.deepEqual(one, [{ name: 'pass@1', label: 'pass@1', value: 0.5, n: 2 }]);
    const samples: ScoredSample[] = [];
    for (let i = 0; i < 10; i++) samples.push(sample('a', i, i < 3), sample('b', i, false));
    const ten = humanevalBenchmark.aggregate(samples, 2);
    assert.deepEqual(ten.map((m) => m.name), ['pass@1', 'pass@10']);
    assert.ok(Math.abs(ten[0].value - 0.15) < 1e-12);
    assert.ok(Math.abs(ten[1].value - 0.5) < 1e-12);
  });

  it('scores a reply that never came as failed, with its cause', () => {
    const s = humanevalBenchmark.scoreForFailure!({ id: 'Toy/0', data: { prompt: '', test: '', entryPoint: 'add' } }, 'server error after 4 retries', 'endpoint');
    assert.equal(s.passed, false);
    assert.equal(s.failureCause, 'endpoint');
    assert.equal(s.explanation[0].detail, 'server error after 4 retries');
  });

  it('reads and prints rows in the official samples format', () => {
    // A completion is scored as given (the official way); a chat reply has its code extracted.
    assert.deepEqual(humanevalOfflineAdapter.parseRow({ task_id: 'HumanEval/3', completion: '    return 1\n' }, 'f:1'), { itemId: 'HumanEval/3', response: '    return 1\n', options: { promptMode: 'as_given' } });
    assert.deepEqual(humanevalOfflineAdapter.parseRow({ task_id: 'HumanEval/3', response: 'x' }, 'f:4'), { itemId: 'HumanEval/3', response: 'x', options: { promptMode: 'chat' } });
    assert.throws(() => humanevalOfflineAdapter.parseRow({ task_id: 'HumanEval/3' }, 'f:2'), /f:2: missing field 'completion' \(a raw completion, scored as given\) or 'response'/);
    assert.throws(() => humanevalOfflineAdapter.parseRow([], 'f:3'), /f:3: expected a JSON object/);
    const score: ItemScore = { passed: false, score: 0, values: { passed: 0 }, explanation: [], details: { result: 'failed: 0', extraction: 'completion' } };
    assert.deepEqual(humanevalOfflineAdapter.formatRow({ id: 'HumanEval/3', data: { prompt: '', test: '', entryPoint: 'f' } }, '', score), { task_id: 'HumanEval/3', passed: false, result: 'failed: 0' });
  });
});
