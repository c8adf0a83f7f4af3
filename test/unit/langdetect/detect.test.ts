import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../../../src/core/errors';
import {
  configureLanguageDetection,
  describeLanguageProbabilities,
  detectLanguage,
  detectLanguageProbabilities,
  languageModel,
  UNKNOWN_LANGUAGE,
} from '../../../src/core/benchmarks/ifeval/text/langdetect';
import { skipForAbsentReference } from '../../support/sharedData';
import { useTempDir } from '../../support/tempDir';

describe('detectLanguage', function () {
  this.timeout(120_000);

  it('is undefined where Python raises "No features in text" (empty, blanks, digits, URLs, e-mail)', function () {
    for (const text of ['', '   \n\t', '12345 678', '!!! ??? ... 3.14', 'https://example.com/a?b=c mail@example.com']) {
      assert.equal(detectLanguage(text), undefined, JSON.stringify(text));
      assert.equal(detectLanguageProbabilities(text), undefined, JSON.stringify(text));
    }
  });

  // Expected languages are Python langdetect 1.0.9's answers with DetectorFactory.seed = 0.
  const cases: Array<[string, string]> = [
    ["War doesn't show who's right, just who's left.", 'en'],
    ['Ein, zwei, drei, vier', 'de'],
    ['안녕하세요. 오늘 날씨가 정말 좋네요. 저는 서울에 살고 있습니다.', 'ko'],
    ['मेरा नाम राहुल है और मैं दिल्ली में रहता हूँ। यह एक सुंदर शहर है।', 'hi'],
    ['我们今天去公园散步，天气非常好。这个国家的经济发展很快。', 'zh-cn'],
    ['我們今天去公園散步，天氣非常好。這個國家的經濟發展很快。', 'zh-tw'],
    ['私は東京に住んでいます。今日はとても良い天気ですね。', 'ja'],
    ['THIS IS ALL CAPITALS AND NOTHING ELSE', 'en'],
    ['Tôi yêu Việt Nam', 'vi'],
  ];
  for (const [text, lang] of cases) {
    it(`finds ${lang} in ${JSON.stringify(text.slice(0, 24))}`, function () {
      assert.equal(detectLanguage(text), lang);
      const [top] = detectLanguageProbabilities(text)!;
      assert.equal(top.lang, lang);
      assert.ok(top.prob > 0.99, describeLanguageProbabilities([top]));
    });
  }

  it('reads Vietnamese tone marks the same whether precomposed or combining (normalize_vi)', function () {
    const precomposed = 'Tôi yêu Việt Nam rất nhiều';
    // Vowel (possibly with its own hat) + a separate tone mark, as normalize_vi expects.
    const combining = 'Tôi yêu Viê\u0323t Nam râ\u0301t nhiê\u0300u';
    assert.equal(combining.normalize('NFC'), precomposed);
    assert.notEqual(combining, precomposed);
    assert.deepEqual(detectLanguageProbabilities(combining), detectLanguageProbabilities(precomposed));
  });

  it('ignores the Latin noise in a mostly non-Latin text', function () {
    const korean = '안녕하세요. 오늘 날씨가 정말 좋네요. 저는 서울에 살고 있습니다.';
    assert.deepEqual(detectLanguageProbabilities(`${korean} OK ok`), detectLanguageProbabilities(`${korean} __ __`));
  });

  it('is deterministic for a seed, and the seed is a real option', function () {
    const text = 'Lion prowls in golden stride';
    assert.deepEqual(detectLanguageProbabilities(text), detectLanguageProbabilities(text, { seed: 0 }));
    assert.deepEqual(detectLanguageProbabilities(text, { seed: 7 }), detectLanguageProbabilities(text, { seed: 7 }));
    assert.notDeepEqual(detectLanguageProbabilities(text, { seed: 0 }), detectLanguageProbabilities(text, { seed: 1 }));
  });

  it('reproduces CPython seed by seed: the seeds below 1000 that turn a borderline text English', function () {
    if (!languageModel().exact) skipForAbsentReference(this, "Python langdetect's 55 profiles (Debian: apt-get install python3-langdetect)");
    // Python: for s in range(1000): DetectorFactory.seed = s; detect('Lion prowls in golden stride') == 'en'
    const english: number[] = [];
    for (let seed = 0; seed < 1000; seed++) if (detectLanguage('Lion prowls in golden stride', { seed }) === 'en') english.push(seed);
    assert.deepEqual(english, [698, 864]);
  });

  it('describes probabilities for explanations', function () {
    assert.equal(describeLanguageProbabilities([{ lang: 'ko', prob: 0.9234 }]), 'ko (0.92)');
    assert.equal(describeLanguageProbabilities([{ lang: 'sv', prob: 0.714 }, { lang: 'en', prob: 0.286 }]), 'sv (0.71), en (0.29)');
    assert.equal(describeLanguageProbabilities([]), UNKNOWN_LANGUAGE);
    assert.match(describeLanguageProbabilities(undefined), /no language/);
  });
});

describe('langdetect profiles', function () {
  const tmp = useTempDir('evalbench-langdetect-');
  afterEach(() => configureLanguageDetection({}));

  function writeProfile(name: string, freq: Record<string, number>): void {
    const nWords = [1, 2, 3].map((n) => Object.entries(freq).filter(([word]) => word.length === n).reduce((sum, [, c]) => sum + c, 0));
    fs.writeFileSync(path.join(tmp.path, name), JSON.stringify({ name, freq, n_words: nWords }));
  }

  it('loads a profile folder in Python format and decides by its n-grams', function () {
    writeProfile('aa', { a: 10, b: 1, ' a': 5, 'ab': 3 });
    writeProfile('bb', { b: 10, a: 1, ' b': 5, 'ba': 3 });
    configureLanguageDetection({ profileDir: tmp.path });
    assert.deepEqual(languageModel().languages, ['aa', 'bb']);
    assert.equal(languageModel().exact, false);
    assert.equal(detectLanguage('aaa aab aaaa'), 'aa');
    assert.equal(detectLanguage('bbb bba bbbb'), 'bb');
    assert.equal(detectLanguage('zzz'), undefined);
  });

  it("answers 'unknown' when no language passes the 0.1 threshold, as Python's detect does", function () {
    for (let i = 0; i < 12; i++) writeProfile(`l${String(i).padStart(2, '0')}`, { a: 10 });
    configureLanguageDetection({ profileDir: tmp.path });
    assert.deepEqual(detectLanguageProbabilities('a a a'), []);
    assert.equal(detectLanguage('a a a'), UNKNOWN_LANGUAGE);
  });

  it('says what to do when the profile folder is missing or broken', function () {
    configureLanguageDetection({ profileDir: path.join(tmp.path, 'absent') });
    assert.throws(() => languageModel(), (error: unknown) => error instanceof ConfigError && /profiles/.test(error.message));
    fs.writeFileSync(path.join(tmp.path, 'xx'), '{not json');
    writeProfile('aa', { a: 1 });
    configureLanguageDetection({ profileDir: tmp.path });
    assert.throws(() => languageModel(), /profile .*xx is not readable JSON/);
  });
});
