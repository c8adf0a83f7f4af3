/** IfevalScorer: strict vs loose, explanations, failure causes, reasoning blocks. */
import { strict as assert } from 'node:assert';
import { IfevalScorer, ifevalFailureScore, looseVariants, stripReasoning, type IfevalItemData, type IfevalScoreDetails } from '../../../src/core/benchmarks/ifeval';
import type { BenchmarkItem } from '../../../src/core/benchmarks/types';
import { bundledPunktEnglishDir } from '../../support/sharedData';

function item(ids: string[], kwargs: Record<string, unknown>[]): BenchmarkItem<IfevalItemData> {
  return { id: '7', data: { key: 7, prompt: 'p', instruction_id_list: ids, kwargs } };
}

const NO_COMMA_AND_WORDS = item(['punctuation:no_comma', 'length_constraints:number_words'], [{}, { num_words: 5, relation: 'at least' }]);

describe('IfevalScorer', () => {
  let scorer: IfevalScorer;
  let punktDir: string;
  before(function () {
    // The loose-variant, reasoning and failure-score tests need Punkt, not the reference data: the bundled copy.
    punktDir = bundledPunktEnglishDir();
    scorer = new IfevalScorer({ punktDir, cacheDir: '/nonexistent-cache-not-used' });
  });

  it('follows the official order of the eight loose variants', () => {
    assert.deepEqual(looseVariants('Sure, here:\n**one** two\nbye *'), [
      'Sure, here:\n**one** two\nbye *',
      'Sure, here:\none two\nbye ',
      '**one** two\nbye *',
      'Sure, here:\n**one** two',
      '**one** two',
      'one two\nbye ',
      'Sure, here:\none two',
      'one two',
    ]);
  });

  it('passes loose but not strict when only a chatty first line breaks the rule, and explains both', async () => {
    const score = await scorer.score({ benchmarkId: 'ifeval', item: NO_COMMA_AND_WORDS, response: 'Sure, here it is:\nOne two three four five six.' });
    assert.equal(score.passed, false);
    assert.deepEqual(score.values, { prompt_strict: 0, prompt_loose: 1, inst_strict_passed: 1, inst_loose_passed: 2, inst_total: 2 });
    const details = score.details as IfevalScoreDetails;
    assert.deepEqual(details.strict, [false, true]);
    assert.deepEqual(details.loose, [true, true]);
    assert.equal(score.failureCause, undefined);
    assert.deepEqual(score.explanation.map((e) => [e.check, e.mode, e.passed]), [
      ['punctuation:no_comma', 'strict', false],
      ['length_constraints:number_words', 'strict', true],
      ['punctuation:no_comma', 'loose', true],
      ['length_constraints:number_words', 'loose', true],
    ]);
    assert.match(score.explanation[0].detail, /1 comma, first at 'Sure, here it is:…'/);
    assert.match(score.explanation[2].detail, /no commas \(in the reply without its first line\)/);
  });

  it('takes the Punkt folder from the request options too', async () => {
    const fresh = new IfevalScorer({ cacheDir: '/nonexistent-cache-not-used' });
    const sentences = item(['length_constraints:number_sentences'], [{ num_sentences: 2, relation: 'at least' }]);
    const score = await fresh.score({ benchmarkId: 'ifeval', item: sentences, response: 'One. Two.', options: { punktDir } });
    assert.equal(score.passed, true);
  });

  it('counts a blank reply as not following anything, cause "empty"', async () => {
    const score = await scorer.score({ benchmarkId: 'ifeval', item: item(['punctuation:no_comma'], [{}]), response: '  \n ' });
    assert.equal(score.passed, false);
    assert.equal(score.failureCause, 'empty');
    assert.deepEqual((score.details as IfevalScoreDetails).loose, [false]);
    assert.match(score.explanation[0].detail, /the reply is empty/);
  });

  it('blames truncation when the reply was cut at max_tokens', async () => {
    const score = await scorer.score({ benchmarkId: 'ifeval', item: NO_COMMA_AND_WORDS, response: 'One two', truncated: true });
    assert.equal(score.failureCause, 'truncated');
    assert.match(score.explanation[1].detail, /found 2 \(the reply was cut at max_tokens\)/);
  });

  it('blames a <think> block left in the reply, and strips it when asked', async () => {
    const response = '<think>\nHmm, commas, words, more words here.\n</think>\n\nOne two three four five six.';
    const kept = await scorer.score({ benchmarkId: 'ifeval', item: NO_COMMA_AND_WORDS, response });
    assert.equal(kept.passed, false);
    assert.equal(kept.failureCause, 'think_block');
    const stripped = await scorer.score({ benchmarkId: 'ifeval', item: NO_COMMA_AND_WORDS, response, options: { stripReasoning: true } });
    assert.equal(stripped.passed, true);
    assert.equal(stripped.failureCause, undefined);
    assert.ok((stripped.details as IfevalScoreDetails).reasoningRemoved! > 30);
  });

  it('strips reasoning whose opening tag was in the prompt, and unclosed reasoning', () => {
    assert.equal(stripReasoning('thinking, still\n</think>\n\nAnswer').text, 'Answer');
    assert.equal(stripReasoning('Answer <think>cut off').text, 'Answer ');
    assert.deepEqual(stripReasoning('No reasoning here'), { text: 'No reasoning here', removed: 0 });
  });

  it('scores a reply that never came as failing every instruction, with the right denominator', () => {
    const score = ifevalFailureScore(NO_COMMA_AND_WORDS, 'server answered 500 after 3 tries', 'server_error');
    assert.equal(score.passed, false);
    assert.equal(score.values.inst_total, 2);
    assert.equal(score.values.inst_strict_passed, 0);
    assert.equal(score.failureCause, 'server_error');
    assert.equal(score.explanation.length, 4);
    assert.match(score.explanation[0].detail, /no reply: server answered 500/);
  });
});
