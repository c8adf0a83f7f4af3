import * as assert from 'node:assert/strict';
import { EndpointError } from '../../../src/core/errors';
import {
  SAMPLE_OUTCOMES,
  countOutcomes,
  denominatorText,
  finalRunStatus,
  headlineText,
  isFinishedStatus,
  outcomeOf,
  requestFailureCauseOf,
  sampleFailureCause,
  sampleOutcome,
  scoringFailureCauseOf,
} from '../../../src/core/outcome';
import type { SampleRecord } from '../../../src/core/storage/types';

const base = { itemId: 'q1', sampleIndex: 0, startedAt: 't', finishedAt: 't' };
const score = (passed: boolean, failureCause?: string) => ({ passed, score: Number(passed), values: {}, explanation: [], ...(failureCause ? { failureCause } : {}) });
const passed: SampleRecord = { ...base, status: 'done', response: 'x', score: score(true) };
const wrong: SampleRecord = { ...base, status: 'done', response: 'x', score: score(false, 'truncated') };
const requestFailed: SampleRecord = { ...base, status: 'failed', error: 'server answered 500', score: score(false, 'http_error') };
const scoringError: SampleRecord = { ...base, status: 'done', response: 'x', score: score(false, 'scorer_data_unavailable') };
const unscored: SampleRecord = { ...base, status: 'done', response: 'x' };

describe('sample outcome', () => {
  it('gives every stored shape exactly one outcome, in a fixed order', () => {
    assert.deepEqual(SAMPLE_OUTCOMES, ['passed', 'wrong', 'request_failed', 'scoring_error', 'pending']);
    assert.deepEqual([passed, wrong, requestFailed, scoringError, unscored, undefined].map(sampleOutcome), ['passed', 'wrong', 'request_failed', 'scoring_error', 'pending', 'pending']);
  });

  it('never reads a failed request as passed or wrong, whatever score row it carries', () => {
    assert.equal(outcomeOf({ status: 'failed', scored: true, passed: true }), 'request_failed');
    assert.equal(outcomeOf({ status: 'failed', scored: false }), 'request_failed');
  });

  it('names the finer cause under the outcome, reading old run files', () => {
    assert.deepEqual([passed, wrong, requestFailed, scoringError, unscored].map(sampleFailureCause), [undefined, 'truncated', 'http_error', 'scorer_data_unavailable', undefined]);
    assert.equal(sampleFailureCause({ ...requestFailed, score: score(false, 'empty') }), 'empty_reply', 'legacy "empty"');
    assert.equal(sampleFailureCause({ ...requestFailed, score: undefined, error: 'no reply within the per-item limit of 600 s' }), 'timeout');
    assert.equal(sampleFailureCause({ ...wrong, score: score(false) }), 'wrong');
  });

  it('classifies request failures: declared cause first, then status, then text', () => {
    const overflow = Object.assign(new EndpointError('server answered 400 prompt too long'), { failureCause: 'context_overflow' });
    assert.equal(requestFailureCauseOf(overflow), 'context_overflow');
    assert.equal(requestFailureCauseOf(new EndpointError('server answered 500 Internal', { status: 500 })), 'http_error');
    assert.equal(requestFailureCauseOf(new EndpointError('server answered 400: maximum context length is 4096 tokens', { status: 400 })), 'context_overflow');
    assert.equal(requestFailureCauseOf(new Error('connection refused')), 'connection_error');
    assert.equal(requestFailureCauseOf(new Error('answered without choices (body: {})')), 'bad_reply');
  });

  it('classifies scoring failures: missing data, a dead worker, anything else', () => {
    const remote = Object.assign(new Error('Punkt folder /x does not exist'), { name: 'DatasetError' });
    assert.equal(scoringFailureCauseOf(new Error('scoring item 1 failed', { cause: remote })), 'scorer_data_unavailable');
    assert.equal(scoringFailureCauseOf(new Error('the scoring worker stopped while scoring item 3: exited')), 'scorer_crashed');
    assert.equal(scoringFailureCauseOf(new Error('boom')), 'scoring_error');
  });
});

describe('outcome counts, denominators and run status', () => {
  const samples = [...Array(12).fill(passed), ...Array(4).fill(wrong), ...Array(14).fill(requestFailed)];

  it('counts per outcome; samples not stored are pending', () => {
    assert.deepEqual(countOutcomes(samples, 32), { total: 32, passed: 12, wrong: 4, request_failed: 14, scoring_error: 0, pending: 2 });
    assert.deepEqual(countOutcomes([unscored, scoringError], 2), { total: 2, passed: 0, wrong: 0, request_failed: 0, scoring_error: 1, pending: 1 });
  });

  it('states the denominator of a metric in words', () => {
    const counts = countOutcomes(samples, 30);
    assert.equal(denominatorText(counts), 'of 16 judged (14 request failures)');
    assert.equal(headlineText({ name: 'accuracy', label: 'Accuracy', value: 0.75, n: 16 }, counts), '75.0% of 16 judged (14 request failures)');
    assert.equal(headlineText({ name: 'accuracy', label: 'Accuracy', value: 2 / 3, n: 26 }, { total: 31, passed: 0, wrong: 26, request_failed: 4, scoring_error: 1, pending: 0 }), '66.7% of 26 judged (4 request failures, 1 scoring error)');
    assert.equal(denominatorText(countOutcomes([passed], 1)), 'of 1 judged');
  });

  it('says the metric is over items when it averages several samples per item (66.7% is not a fraction of 5 samples)', () => {
    // 3 samples per item, 4 items: 3 items have judged samples (1/1, 0/2, 2/2 passed), the mean of their means is 2/3.
    const counts = { total: 12, passed: 3, wrong: 2, request_failed: 7, scoring_error: 0, pending: 0 };
    assert.equal(headlineText({ name: 'accuracy', label: 'Accuracy', value: 2 / 3, n: 3 }, counts), '66.7% over 3 items, of 5 judged (7 request failures)');
  });

  it('ends a run with any request failure or scoring error as done_with_errors', () => {
    assert.equal(finalRunStatus(countOutcomes([passed, wrong], 2)), 'done');
    assert.equal(finalRunStatus(countOutcomes([passed, requestFailed], 2)), 'done_with_errors');
    assert.equal(finalRunStatus(countOutcomes([passed, scoringError], 2)), 'done_with_errors');
    assert.deepEqual(['done', 'done_with_errors', 'failed', 'cancelled'].map((s) => isFinishedStatus(s as never)), [true, true, false, false]);
  });
});
