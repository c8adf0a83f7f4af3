import * as assert from 'node:assert/strict';
import { ConfigError } from '../../../src/core/errors';
import { buildRunRequests, parseSamplingOverrides, validateChoices } from '../../../src/extension/runEval/runRequestBuilder';

describe('Run Eval request builder', () => {
  it('makes one request per benchmark, covering every chosen model', () => {
    const requests = buildRunRequests(
      { baseUrl: 'http://127.0.0.1:8080/v1', models: ['a', 'b'], benchmarks: ['ifeval', 'humaneval'], limit: 10, sampling: { temperature: 0.2 } },
      { apiKey: 'k', humanevalExecutor: 'wasm', pythonPath: '/usr/bin/python3', concurrency: 2 },
    );
    assert.equal(requests.length, 2);
    assert.deepEqual(requests[0].endpoints.map((e) => [e.model, e.apiKey, e.mode]), [
      ['a', 'k', 'chat'],
      ['b', 'k', 'chat'],
    ]);
    assert.deepEqual(requests[0].benchmark, { id: 'ifeval', datasetPath: undefined, options: {} });
    assert.deepEqual(requests[1].benchmark.options, { executor: 'wasm', pythonPath: '/usr/bin/python3' });
    assert.equal(requests[1].limit, 10);
    assert.equal(requests[1].concurrency, 2);
    assert.deepEqual(requests[1].sampling, { temperature: 0.2 });
  });

  it('uses a local dataset file for ifeval when one is configured, and the chosen file for custom', () => {
    const [ifeval, custom] = buildRunRequests(
      { baseUrl: 'http://x', models: ['m'], benchmarks: ['ifeval', 'custom'], datasetPath: '/data/mine.jsonl', datasetFiles: { ifeval: '/data/ifeval.jsonl' } },
      {},
    );
    assert.equal(ifeval.benchmark.datasetPath, '/data/ifeval.jsonl');
    assert.equal(custom.benchmark.datasetPath, '/data/mine.jsonl');
  });

  it('passes the judge setting to the custom benchmark only', () => {
    const judge = { baseUrl: 'http://127.0.0.1:8000/v1', model: 'big', scale: 'letter' };
    const [custom, gsm8k] = buildRunRequests({ baseUrl: 'http://x', models: ['m'], benchmarks: ['custom', 'gsm8k'], datasetPath: '/data/rubrics.jsonl' }, { judge });
    assert.deepEqual(custom.benchmark.options?.judge, judge);
    assert.equal(gsm8k.benchmark.options?.judge, undefined);
  });

  it('passes the Punkt folder setting to IFEval only, and nothing when it is empty (the bundled copy)', () => {
    const choices = { baseUrl: 'http://x', models: ['m'], benchmarks: ['ifeval', 'humaneval'] };
    const [ifeval, humaneval] = buildRunRequests(choices, { punktDir: '/nltk/punkt_tab/english' });
    assert.equal(ifeval.benchmark.options?.punktDir, '/nltk/punkt_tab/english');
    assert.equal(humaneval.benchmark.options?.punktDir, undefined);
    assert.equal(buildRunRequests(choices, {})[0].benchmark.options?.punktDir, undefined);
    assert.equal(buildRunRequests(choices, {})[0].benchmark.datasetPath, undefined, 'no dataset setting: the bundled copy');
  });

  it('rejects arguments that cannot make a run, saying what is wrong', () => {
    assert.throws(() => validateChoices({ baseUrl: 'localhost:8080', models: ['a'], benchmarks: ['ifeval'] }), /baseUrl must be an http/);
    assert.throws(() => validateChoices({ baseUrl: 'http://x', models: [], benchmarks: ['ifeval'] }), /models must be a non-empty list/);
    assert.throws(() => validateChoices({ baseUrl: 'http://x', models: ['a'], benchmarks: ['mmlu'] }), /unknown benchmark 'mmlu'/);
    assert.throws(() => validateChoices({ baseUrl: 'http://x', models: ['a'], benchmarks: ['custom'] }), /needs datasetPath/);
    assert.throws(() => validateChoices({ baseUrl: 'http://x', models: ['a'], benchmarks: ['ifeval'], limit: 0 }), ConfigError);
  });

  it('parses sampling overrides typed by the user', () => {
    assert.deepEqual(parseSamplingOverrides('temperature=0.7, max_tokens=512 seed=1'), { temperature: 0.7, max_tokens: 512, seed: 1 });
    assert.deepEqual(parseSamplingOverrides(''), {});
    assert.throws(() => parseSamplingOverrides('temp=1'), /unknown setting 'temp'/);
    assert.throws(() => parseSamplingOverrides('temperature=hot'), /not name=number/);
  });
});
