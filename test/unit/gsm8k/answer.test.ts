import * as assert from 'node:assert/strict';
import { extractFlexible, extractStrict, normalizeNumber, referenceAnswer, scoreGsm8k } from '../../../src/core/benchmarks/gsm8k';

describe('GSM8K answer extraction', () => {
  it('normalises commas, $, trailing "." and ".0", leading zeros and signs', () => {
    assert.equal(normalizeNumber('$1,200.00'), '1200');
    assert.equal(normalizeNumber('18.'), '18');
    assert.equal(normalizeNumber('18.0'), '18');
    assert.equal(normalizeNumber('0.50'), '0.5');
    assert.equal(normalizeNumber('.5'), '0.5');
    assert.equal(normalizeNumber('-007'), '-7');
    assert.equal(normalizeNumber('-0.0'), '0');
    assert.equal(normalizeNumber('12a'), undefined);
  });

  it('reads the reference after "####"', () => {
    assert.equal(referenceAnswer('so 3 + 4 = <<3+4=7>>7\n#### 7'), '7');
    assert.equal(referenceAnswer('#### 70,000'), '70000');
    assert.equal(referenceAnswer('no marker 5'), undefined);
  });

  it('strict: the number right after the last marker, through $, bold, \\boxed and units', () => {
    assert.equal(extractStrict('She makes 9 * 2 = 18. The answer is 18.')?.normalized, '18');
    assert.equal(extractStrict('The answer is $1,200.00 per month.')?.normalized, '1200');
    assert.equal(extractStrict('The answer is **42** apples')?.normalized, '42');
    assert.equal(extractStrict('The answer is: \\boxed{7}')?.normalized, '7');
    assert.equal(extractStrict('the ANSWER IS 3 dollars')?.normalized, '3');
    assert.equal(extractStrict('The answer is -5.')?.normalized, '-5');
    // A chat model that corrects itself: its last statement counts.
    const corrected = extractStrict('The answer is 5.\nWait, I forgot the tax. The answer is 6.');
    assert.equal(corrected?.normalized, '6');
    assert.equal(corrected?.line, 2);
    assert.equal(extractStrict('#### 12')?.normalized, '12');
    // No number right after the marker: nothing strict, even with numbers elsewhere.
    assert.equal(extractStrict('The answer is unclear, maybe 4'), undefined);
    assert.equal(extractStrict('so 16 - 3 = 13 eggs'), undefined);
    assert.equal(extractStrict('A: 13', []), undefined);
    assert.equal(extractStrict('A: 13', ['A:'])?.normalized, '13');
  });

  it('flexible: the last number anywhere, a hyphen between numbers is not a minus sign', () => {
    assert.equal(extractFlexible('16 - 3 - 4 = 9 eggs, so $18 a day.')?.normalized, '18');
    assert.equal(extractFlexible('Total: 16-3-4')?.normalized, '4');
    assert.equal(extractFlexible('It drops to -3 degrees.')?.normalized, '-3');
    assert.equal(extractFlexible('That is 1,234,567 people.')?.normalized, '1234567');
    assert.equal(extractFlexible('about 2.50.')?.normalized, '2.5');
    assert.equal(extractFlexible('no digits here'), undefined);
  });

  it('scores both ways and explains what was read from where', () => {
    const score = scoreGsm8k('18', 'Janet sells 9 eggs at $2.\nThe answer is $18.00 a day. Bye 1');
    assert.equal(score.passed, true);
    assert.deepEqual(score.values, { strict: 1, flexible: 0 });
    assert.match(score.explanation[0].detail, /read "\$18\.00" = 18 \(line 2, character \d+\) after "The answer is"; reference 18/);
    assert.match(score.explanation[1].detail, /last number in the reply is 1 \(line 2/);

    const noMarker = scoreGsm8k('18', 'She makes 18 dollars.');
    assert.equal(noMarker.passed, false);
    assert.equal(noMarker.failureCause, 'no_answer_found');
    assert.deepEqual(noMarker.values, { strict: 0, flexible: 1 });
    assert.match(noMarker.explanation[0].detail, /no number after "The answer is" or "####"/);

    assert.equal(scoreGsm8k('18', 'The answer is 17.').failureCause, 'wrong_answer');
    const cut = scoreGsm8k('18', 'Let me think: 9 eggs', { truncated: true });
    assert.equal(cut.failureCause, 'truncated');
    assert.match(cut.explanation[0].detail, /cut at max_tokens/);
  });
});
