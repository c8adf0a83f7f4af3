import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  configureLanguageDetection,
  describeLanguageProbabilities,
  detectLanguage,
  detectLanguageProbabilities,
  languageModel,
  npmProfileDir,
} from '../../../src/core/benchmarks/ifeval/text/langdetect';
import { requireSharedData, skipForAbsentReference } from '../../support/sharedData';
import { loadGoldenTexts, type GoldenText } from './goldenTexts';

/** Our answer in the golden file's vocabulary ('ERROR' where Python raised). */
const answer = (text: string) => detectLanguage(text) ?? 'ERROR';

function firstSeedWithOtherAnswer(text: string, lang: string, seeds: number): { seed: number; lang: string | undefined } | undefined {
  for (let seed = 0; seed < seeds; seed++) {
    const other = detectLanguage(text, { seed });
    if (other !== lang) return { seed, lang: other };
  }
  return undefined;
}

describe('langdetect against the official outputs (util_golden.jsonl)', function () {
  this.timeout(120_000);
  let rows: GoldenText[];

  before(function () {
    const file = requireSharedData(this, 'ifeval/util_golden.jsonl');
    rows = loadGoldenTexts(path.dirname(file));
  });

  afterEach(() => configureLanguageDetection({}));

  function checkAgreement(): void {
    const model = languageModel();
    const disagreements = rows.filter((row) => answer(row.text) !== row.lang);
    console.log(
      `      langdetect: ${rows.length - disagreements.length} of ${rows.length} agree ` +
        `(profiles: ${model.source.origin} ${model.source.dir}, ${model.languages.length} languages, exact=${model.exact})`,
    );
    for (const row of disagreements) {
      console.log(
        `      key ${row.key} variant ${row.variant}: official ${row.lang}${row.langStable ? '' : ' (unstable in Python)'}, ` +
          `ours ${describeLanguageProbabilities(detectLanguageProbabilities(row.text)?.slice(0, 2))}`,
      );
    }
    if (model.exact) {
      assert.deepEqual(disagreements.map((row) => `${row.key}/${row.variant}`), []);
    } else {
      // The npm profiles lack ca and cy and carry an older ko: only those answers, and the
      // pairs that are unstable in Python itself, may differ.
      const unexplained = disagreements.filter((row) => row.langStable && model.languages.includes(row.lang));
      assert.deepEqual(unexplained.map((row) => `${row.key}/${row.variant}`), []);
    }
  }

  it('agrees with Python langdetect (seed 0) on every response and loose variant', function () {
    // Exact agreement needs Python's 55 profiles; with fewer, this test does not relax itself: it is skipped
    // (failed under EVALBENCH_REQUIRE_SHARED=1). The npm profiles' own claim is the next test.
    if (!languageModel().exact) skipForAbsentReference(this, `Python langdetect's 55 profiles (found ${languageModel().source.origin} ${languageModel().source.dir}; Debian: apt-get install python3-langdetect)`);
    checkAgreement();
  });

  it('with only the npm package\'s profiles, differs only where a profile is missing or Python is unstable', function () {
    const dir = npmProfileDir();
    assert.ok(dir, 'the npm package "langdetect" is a dependency; run npm install');
    configureLanguageDetection({ profileDir: dir });
    assert.equal(languageModel().languages.length, 53);
    checkAgreement();
  });

  it('covers the golden file: every row has a text, and the error rows are the empty or letterless ones', function () {
    assert.equal(rows.length, 4328);
    const errors = rows.filter((row) => row.lang === 'ERROR');
    assert.ok(errors.length > 0);
    for (const row of errors) assert.equal(detectLanguageProbabilities(row.text), undefined, `key ${row.key}/${row.variant}`);
  });

  it('shows the borderline pairs that Python itself answers differently from run to run', function () {
    const unstable = rows.filter((row) => !row.langStable);
    assert.equal(unstable.length, 17);
    for (const row of unstable) {
      const top = detectLanguageProbabilities(row.text)!;
      console.log(`      key ${row.key} variant ${row.variant}: official ${row.lang}, ours ${describeLanguageProbabilities(top.slice(0, 2))}`);
      // Unstable means some seed changes the answer (as Python's own unseeded runs did).
      const other = firstSeedWithOtherAnswer(row.text, row.lang, 2000);
      assert.ok(other, `key ${row.key}/${row.variant} gives ${row.lang} for seeds 0..1999: ${describeLanguageProbabilities(top)}`);
      console.log(`        seed ${other.seed} answers ${other.lang}`);
    }
  });
});
