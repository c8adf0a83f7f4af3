import * as assert from 'node:assert/strict';
import { buildRows, headerView, itemDetail, itemPreview, parseRowKey, progressFromStored, rowKey, sampleRow } from '../../../src/extension/panels/runViewModel';
import { humanevalChatMessage } from '../../../src/core/benchmarks/humaneval';
import { checkedScore, item, runRecord, sample } from '../../support/runFixtures';

describe('run panel view model', () => {
  it('builds one row per item and sample, pending where nothing is stored', () => {
    const items = [item('a', 0), item('b', 1)];
    const rows = buildRows(items, [sample('a', checkedScore(true)), sample('b', checkedScore(false, ['length_constraints:number_words']), { sampleIndex: 1 })], 2);
    assert.deepEqual(
      rows.map((r) => [r.key, r.outcome]),
      [
        ['a#0', 'passed'],
        ['a#1', 'pending'],
        ['b#0', 'pending'],
        ['b#1', 'wrong'],
      ],
    );
    assert.deepEqual(rows[3].failedChecks, ['length_constraints:number_words']);
    assert.deepEqual(rows[3].checks, ['detectable_format:title', 'length_constraints:number_words']);
  });

  it('names a cause for samples whose request failed', () => {
    const row = sampleRow(sample('a', undefined, { status: 'failed', response: undefined, error: 'no answer within 600 s (timeout)' }), item('a', 0));
    assert.equal(row.failureCause, 'timeout');
    assert.equal(row.outcome, 'request_failed');
  });

  it('previews a HumanEval row by its function signature, not the shared instruction', () => {
    const prompt = 'from typing import List\n\n\ndef has_close_elements(numbers: List[float], threshold: float) -> bool:\n    """ Check. """\n';
    const he = { id: 'HumanEval/0', index: 0, prompt: { messages: [{ role: 'user' as const, content: humanevalChatMessage(prompt) }] }, data: { prompt, entryPoint: 'has_close_elements', test: '' } };
    assert.equal(itemPreview(he), 'def has_close_elements(numbers: List[float], threshold: float) -> bool');
    assert.equal(itemPreview({ id: 'q', index: 1, prompt: { prompt: 'What is  2+2?' }, data: {} }), 'What is 2+2?');
  });

  it('round-trips row keys, including ids that contain #', () => {
    assert.deepEqual(parseRowKey(rowKey('HumanEval/1#x', 3)), { itemId: 'HumanEval/1#x', sampleIndex: 3 });
  });

  it('counts stored progress from rows', () => {
    const rows = buildRows([item('a', 0), item('b', 1), item('c', 2)], [sample('a', checkedScore(true)), sample('b', undefined, { status: 'failed' })], 1);
    const p = progressFromStored(runRecord('run-1', {}, { status: 'interrupted', metrics: [{ name: 'accuracy', label: 'Accuracy', value: 0.5, n: 2 }] }), rows);
    assert.deepEqual([p.status, p.total, p.counts.passed, p.counts.request_failed, p.counts.pending], ['interrupted', 3, 1, 1, 1]);
    assert.equal(p.metrics[0].name, 'accuracy');
  });

  it('describes the server and the sampling in the header', () => {
    const header = headerView(
      runRecord('run-1', {}, { serverFacts: { kind: 'llama.cpp', baseUrl: 'x', models: [], build: 'b4567', contextLength: 8192, totalSlots: 4, quantization: 'Q4_K_M', raw: {}, probedAt: '' } }),
    );
    assert.deepEqual(header.serverFacts, ['llama.cpp b4567', 'context 8192', '4 slots', 'Q4_K_M']);
    assert.deepEqual(header.sampling, ['temperature 0', 'max_tokens 512']);
    assert.equal(header.model, 'model-run-1');
  });

  it('gives an item detail with prompt, response and explanation', () => {
    const detail = itemDetail(item('a', 0, 'Write a title'), sample('a', checkedScore(false, ['punctuation:no_comma'], 'instruction')), 'a#0');
    assert.equal(detail.prompt, 'Write a title');
    assert.equal(detail.response, 'answer to a');
    assert.equal(detail.failureCause, 'instruction');
    assert.deepEqual(detail.explanation.map((e) => [e.check, e.passed]), [
      ['detectable_format:title', true],
      ['punctuation:no_comma', false],
    ]);
  });
});
