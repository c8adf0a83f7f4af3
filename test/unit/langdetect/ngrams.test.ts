import * as assert from 'node:assert/strict';
import { languageModel } from '../../../src/core/benchmarks/ifeval/text/langdetect';
import { extractNgramRows, prepareText } from '../../../src/core/benchmarks/ifeval/text/langdetect/ngrams';
import { normalizeCodePoint } from '../../../src/core/benchmarks/ifeval/text/langdetect/normalize';

// Expected n-grams printed by Python langdetect 1.0.9:
//   d = factory.create(); d.append(text); d.cleaning_text(); d._extract_ngrams()
const PYTHON_NGRAMS: Array<[string, string[]]> = [
  [
    'Hello WORLD, the CIA said hi.',
    ['H', ' H', 'e', 'He', ' He', 'l', 'el', 'Hel', 'l', 'll', 'ell', 'o', 'lo', 'llo', 'o ', 'lo ', 'W', ' W', 'D ', 't', ' t', 'h', 'th', ' th', 'e', 'he', 'the', 'e ', 'he ', 'C', ' C', 'A ', 'IA ', 's', ' s', 'a', 'sa', ' sa', 'i', 'ai', 'sai', 'd', 'id', 'aid', 'd ', 'id ', 'h', ' h', 'i', 'hi', ' hi', 'i ', 'hi '],
  ],
  [
    'Ünïcode — «naïve» café',
    ['Ü', ' Ü', 'n', 'Ün', ' Ün', 'ï', 'nï', 'c', 'ïc', 'o', 'co', 'd', 'od', 'cod', 'e', 'de', 'ode', 'e ', 'de ', 'n', ' n', 'a', 'na', ' na', 'ï', 'aï', 'v', 'e', 've', 'e ', 've ', 'c', ' c', 'a', 'ca', ' ca', 'f', 'af', 'caf', 'é', 'fé', 'afé'],
  ],
  ['ÀB Ab', ['À', ' À', 'B ', 'A', ' A', 'b', 'Ab', ' Ab']],
  ['ab  cd', ['a', ' a', 'b', 'ab', ' ab', 'b ', 'ab ', 'c', ' c', 'd', 'cd']],
];

describe('langdetect n-gram extraction', function () {
  this.timeout(120_000);

  for (const [text, grams] of PYTHON_NGRAMS) {
    it(`extracts Python's n-grams from ${JSON.stringify(text)}`, function () {
      const { index } = languageModel();
      // Grams no loaded profile knows (possible with the npm profiles) are not extracted either.
      const expected = grams.map((gram) => index.rowOf(gram)).filter((row) => row >= 0);
      assert.deepEqual(extractNgramRows(prepareText(text, 10000), index), expected);
    });
  }

  it('counts the 10,000-character limit in code points and collapses runs of spaces', function () {
    // 3 emoji + 'abc' are 6 code points (9 UTF-16 units): the limit keeps all of them.
    assert.deepEqual(prepareText('😀😀😀abcdef', 6), [0x1f600, 0x1f600, 0x1f600, 0x61, 0x62, 0x63]);
    assert.deepEqual(prepareText('a   b', 100), [0x61, 0x20, 0x62]);
  });

  it('drops URLs and e-mail addresses before reading n-grams', function () {
    assert.deepEqual(prepareText('see https://example.com/x?y=1 now', 100), prepareText('see   now', 100));
    assert.deepEqual(prepareText('mail someone@example.org today', 100), prepareText('mail   today', 100));
  });

  it('normalises characters as NGram.normalize does', function () {
    const norm = (ch: string) => String.fromCodePoint(normalizeCodePoint(ch.codePointAt(0)!));
    assert.equal(norm('1'), ' ');
    assert.equal(norm('«'), ' ');
    assert.equal(norm('é'), 'é');
    assert.equal(norm('\u0219'), '\u015f'); // Romanian s-comma => s-cedilla
    assert.equal(norm('\u06cc'), '\u064a'); // Farsi yeh => Arabic yeh
    assert.equal(norm('\u2014'), ' '); // general punctuation
    assert.equal(norm('ひ'), 'あ');
    assert.equal(norm('カ'), 'ア');
    assert.equal(norm('한'), '가');
    assert.equal(norm('ㄅ'), 'ㄅ');
    assert.equal(norm('\u1ea1'), '\u1ec3'); // Vietnamese letters collapse to one
    assert.equal(norm('椴'), '佼'); // NGram.KANJI_1_0: first member stands for the class
  });
});
