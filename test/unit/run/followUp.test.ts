/** Retry Failed Requests and Re-ask Wrong Answers: what each counts, says, and asks for. */
import { strict as assert } from 'node:assert';
import { describeReask, describeRetry, followUpCounts, reaskRequest } from '../../../src/core/run/followUp';
import type { RunRecord, SampleRecord, StoredItem } from '../../../src/core/storage/types';

const item = (id: string) => ({ id, index: 0, prompt: { prompt: id }, data: {} }) as unknown as StoredItem;
const judged = (itemId: string, passed: boolean, sampleIndex = 0): SampleRecord =>
  ({ itemId, sampleIndex, status: 'done', response: 'r', startedAt: '', finishedAt: '', score: { passed, score: Number(passed), values: {}, explanation: [] } }) as SampleRecord;
const failed = (itemId: string): SampleRecord => ({ itemId, sampleIndex: 0, status: 'failed', error: 'HTTP 500', startedAt: '', finishedAt: '' }) as SampleRecord;

function record(temperature: number, datasetOrigin = 'bundled copy /x/data/ifeval/input_data.jsonl'): RunRecord {
  return {
    id: 'run1', createdAt: '', updatedAt: '', status: 'done', metrics: [],
    config: {
      benchmarkId: 'ifeval', benchmarkVersion: '1', datasetOrigin, datasetSha256: 'abc',
      endpoint: { baseUrl: 'http://127.0.0.1:8080/v1', model: 'm', mode: 'chat' },
      sampling: { temperature, max_tokens: 1280 }, samplesPerItem: 1, concurrency: 4, itemTimeoutMs: 600_000,
      benchmarkOptions: { punktDir: '/p', promptMode: 'chat' },
    },
  } as RunRecord;
}

describe('run follow-ups', () => {
  const items = ['a', 'b', 'c', 'd', 'e'].map(item);

  it('counts failed requests, wrong items and samples never asked, each apart', () => {
    const counts = followUpCounts(items, [judged('a', true), judged('b', false), failed('c'), judged('d', false)], 1);
    assert.deepEqual(counts, { requestFailed: 1, wrongItems: ['b', 'd'], wrongSamples: 2, notRun: 1 });
  });

  it('says when there is nothing to retry, and points at the other action', () => {
    const counts = followUpCounts(items.slice(0, 2), [judged('a', true), judged('b', false)], 1);
    const retry = describeRetry('run1', counts);
    assert.equal(retry.nothing, true);
    assert.equal(retry.text, 'Run run1 has no failed requests: nothing to retry. 1 item was answered wrong: that is Re-ask Wrong Answers.');
    const reask = describeReask(record(0), followUpCounts(items.slice(0, 1), [judged('a', true)], 1));
    assert.equal(reask.nothing, true);
    assert.equal(reask.text, 'Run run1 has no wrong answers: nothing to re-ask.');
  });

  it('says what and how many before starting', () => {
    const counts = followUpCounts(items, [judged('a', true), judged('b', false), failed('c'), failed('d'), judged('e', false)], 1);
    assert.match(describeRetry('run1', counts).text, /^Ask again the 2 samples of run run1 whose request failed\./);
    const reask = describeReask(record(0), counts);
    assert.match(reask.text, /^Ask the model again the 2 items run run1 answered wrong, as a new run with the same settings\. Run run1 keeps its numbers/);
    assert.match(reask.text, /At temperature 0 the same server usually gives the same answers/);
    assert.doesNotMatch(describeReask(record(0.8), counts).text, /temperature 0/);
  });

  it('re-asks as a new run: same benchmark, settings and model, only the wrong items, the bundled data found again', () => {
    const request = reaskRequest(record(0), ['b', 'e'], 'key');
    assert.deepEqual(request.itemIds, ['b', 'e']);
    assert.equal(request.benchmark.datasetPath, undefined);
    assert.deepEqual(request.benchmark.options, { punktDir: '/p' });
    assert.equal(request.endpoints[0].apiKey, 'key');
    assert.equal(request.endpoints[0].model, 'm');
    assert.deepEqual(request.sampling, { temperature: 0, max_tokens: 1280 });
    assert.equal(reaskRequest(record(0, '/data/mine.jsonl'), ['b'], undefined).benchmark.datasetPath, '/data/mine.jsonl');
  });
});
