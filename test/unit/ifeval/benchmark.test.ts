/** The IFEval definition: dataset loading (file, bundled copy), prompts, metrics, breakdown, offline rows. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { ifevalBenchmark, ifevalBreakdown, ifevalOfflineAdapter, parseIfevalItem, scoreIfeval, type IfevalItemData } from '../../../src/core/benchmarks/ifeval';
import { PunktSentenceTokenizer, loadPunktParameters } from '../../../src/core/benchmarks/ifeval/text/punkt';
import type { ScoredSample } from '../../../src/core/benchmarks/types';
import { DatasetError } from '../../../src/core/errors';
import { readJsonl, requireSharedData } from '../../support/sharedData';
import { useTempDir } from '../../support/tempDir';

// The Hugging Face copy carries every kwarg key with null; the official file only the needed ones.
const HF_LINE = JSON.stringify({
  key: 1001,
  prompt: 'Write without commas.',
  instruction_id_list: ['punctuation:no_comma', 'length_constraints:number_words'],
  kwargs: [
    { num_words: null, relation: null, letter: null },
    { num_words: 3, relation: 'at least', letter: null },
  ],
});
const OFFICIAL_LINE = JSON.stringify({ key: 1002, prompt: 'Say yes.', instruction_id_list: ['detectable_format:constrained_response'], kwargs: [{}] });

describe('ifevalBenchmark', () => {
  const tmp = useTempDir();

  it('loads a local file in either shape, dropping null kwargs', async () => {
    const file = path.join(tmp.path, 'ifeval.jsonl');
    fs.writeFileSync(file, `${HF_LINE}\n\n${OFFICIAL_LINE}\n`);
    const dataset = await ifevalBenchmark.loadDataset({ path: file, cacheDir: tmp.path });
    assert.equal(dataset.origin, file);
    assert.match(dataset.sha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(dataset.items.map((i) => i.id), ['1001', '1002']);
    assert.deepEqual(dataset.items[0].data.kwargs, [{}, { num_words: 3, relation: 'at least' }]);
  });

  it('refuses a malformed line, naming file:line, and loads nothing', async () => {
    const file = path.join(tmp.path, 'bad.jsonl');
    fs.writeFileSync(file, `${OFFICIAL_LINE}\n{"key": 5, "prompt": "x"\n`);
    await assert.rejects(ifevalBenchmark.loadDataset({ path: file, cacheDir: tmp.path }), (error: unknown) => {
      assert.ok(error instanceof DatasetError);
      assert.equal(error.location, `${file}:2`);
      return true;
    });
  });

  it('refuses unknown instruction ids and missing kwargs, saying which', () => {
    assert.throws(() => parseIfevalItem({ key: 1, prompt: 'p', instruction_id_list: ['x:y'], kwargs: [{}] }, 'f:3'), /f:3 \(instruction 1\): unknown instruction id 'x:y'/);
    assert.throws(
      () => parseIfevalItem({ key: 1, prompt: 'p', instruction_id_list: ['length_constraints:number_words'], kwargs: [{ num_words: null }] }, 'f:4'),
      /'length_constraints:number_words' needs kwarg 'num_words' \(number\); got undefined/,
    );
    assert.throws(() => parseIfevalItem({ key: 1, prompt: 'p', instruction_id_list: ['punctuation:no_comma'], kwargs: [] }, 'f:5'), /one object per instruction/);
  });

  it('uses the bundled copy when no file is given, and says so in the origin', async function () {
    const shared = requireSharedData(this, 'ifeval/input_data.jsonl');
    const dataset = await ifevalBenchmark.loadDataset({ cacheDir: tmp.path });
    assert.equal(dataset.items.length, 541);
    assert.equal(dataset.sha256, createHash('sha256').update(fs.readFileSync(shared)).digest('hex'));
    assert.match(dataset.origin, /^bundled copy .*ifeval[\\/]input_data\.jsonl$/);
  });

  it('loads the official 541 prompts with their 834 instructions', async function () {
    const file = requireSharedData(this, 'ifeval/input_data.jsonl');
    const dataset = await ifevalBenchmark.loadDataset({ path: file, cacheDir: tmp.path });
    assert.equal(dataset.items.length, 541);
    assert.equal(dataset.items.reduce((n, i) => n + i.data.instruction_id_list.length, 0), 834);
  });

  it('sends the prompt alone: one user message in chat mode, raw text in completions mode', () => {
    const data = parseIfevalItem(JSON.parse(OFFICIAL_LINE), 'x');
    const item = { id: '1002', data };
    assert.deepEqual(ifevalBenchmark.buildPrompt(item, 'chat'), { messages: [{ role: 'user', content: 'Say yes.' }] });
    assert.deepEqual(ifevalBenchmark.buildPrompt(item, 'completions'), { prompt: 'Say yes.' });
    assert.deepEqual(ifevalBenchmark.defaultSampling, { temperature: 0, max_tokens: 1280 });
  });

  describe('on the 541 GPT-4 responses', () => {
    let samples: ScoredSample[];
    before(function () {
      this.timeout(120_000);
      const tokenizer = new PunktSentenceTokenizer(loadPunktParameters(requireSharedData(this, 'ifeval/punkt_tab/english')));
      const inputs = readJsonl(requireSharedData(this, 'ifeval/input_data_gpt4_20231107_145030.jsonl'));
      const responses = new Map(readJsonl<{ prompt: string; response: string }>(requireSharedData(this, 'ifeval/input_response_data_gpt4_20231107_145030.jsonl')).map((r) => [r.prompt, r.response]));
      samples = inputs.map((row, i) => {
        const data: IfevalItemData = parseIfevalItem(row, `gpt4:${i + 1}`);
        const item = { id: String(data.key), data };
        return { itemId: item.id, sampleIndex: 0, score: scoreIfeval(item, responses.get(data.prompt)!, tokenizer) };
      });
    });

    it('aggregates to the four official metrics, prompt-level strict first', () => {
      const metrics = ifevalBenchmark.aggregate(samples, 541);
      assert.deepEqual(metrics.map((m) => [m.name, m.n]), [['prompt_strict', 541], ['inst_strict', 834], ['prompt_loose', 541], ['inst_loose', 834]]);
      assert.equal(metrics[0].value, 417 / 541);
      assert.equal(metrics[1].value, 698 / 834);
      assert.equal(metrics[2].value, 431 / 541);
      assert.equal(metrics[3].value, 714 / 834);
    });

    it('breaks accuracy down per instruction id and per category', () => {
      const breakdown = ifevalBreakdown(samples);
      assert.equal(Object.keys(breakdown.byInstruction).length, 25);
      const total = Object.values(breakdown.byInstruction).reduce((n, a) => n + a.n, 0);
      assert.equal(total, 834);
      const strictFollowed = Object.values(breakdown.byInstruction).reduce((n, a) => n + a.strict * a.n, 0);
      assert.equal(Math.round(strictFollowed), 698);
      assert.deepEqual(Object.keys(breakdown.byCategory), ['change_case', 'combination', 'detectable_content', 'detectable_format', 'keywords', 'language', 'length_constraints', 'punctuation', 'startend']);
      assert.equal(breakdown.byInstruction['punctuation:no_comma'].n, 66);
    });
  });
});

describe('ifevalOfflineAdapter', () => {
  it('reads {"key", "response"} rows and refuses others, naming the line', () => {
    assert.deepEqual(ifevalOfflineAdapter.parseRow({ key: 1000, response: 'hi' }, 'r.jsonl:1'), { itemId: '1000', response: 'hi' });
    assert.throws(() => ifevalOfflineAdapter.parseRow({ prompt: 'x', response: 'hi' }, 'r.jsonl:2'), /r\.jsonl:2: missing field 'key'/);
    assert.throws(() => ifevalOfflineAdapter.parseRow({ key: 1000 }, 'r.jsonl:3'), /r\.jsonl:3: missing field 'response'/);
  });

  it('prints strict and loose lists, the two follow_all flags and the explanations', () => {
    const data = parseIfevalItem(JSON.parse(OFFICIAL_LINE), 'x');
    const score = {
      passed: false,
      score: 0,
      values: {},
      explanation: [
        { check: 'detectable_format:constrained_response', passed: false, detail: 'none', mode: 'strict' },
        { check: 'detectable_format:constrained_response', passed: true, detail: 'ok', mode: 'loose' },
      ],
      details: { instruction_id_list: data.instruction_id_list, strict: [false], loose: [true] },
    };
    const row = ifevalOfflineAdapter.formatRow({ id: '1002', data }, 'r', score);
    assert.deepEqual(Object.keys(row), ['key', 'strict', 'loose', 'follow_all_strict', 'follow_all_loose', 'explanations']);
    assert.equal(row.key, 1002);
    assert.equal(row.follow_all_strict, false);
    assert.equal(row.follow_all_loose, true);
    assert.deepEqual(row.explanations, ['detectable_format:constrained_response (strict): not followed: none', 'detectable_format:constrained_response (loose): followed: ok']);
  });
});
