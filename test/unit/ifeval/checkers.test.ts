/** Each of the 25 checkers on small hand-made cases, both sides of the line, with the explanation it gives. */
import { strict as assert } from 'node:assert';
import { INSTRUCTION_CHECKERS, getChecker, type CheckContext } from '../../../src/core/benchmarks/ifeval/checkers';
import { pythonJsonLoads } from '../../../src/core/benchmarks/ifeval/checkers/pythonJson';
import { createCheckContext } from '../../../src/core/benchmarks/ifeval/textAnalysis';
import { PunktSentenceTokenizer, loadPunktParameters } from '../../../src/core/benchmarks/ifeval/text/punkt';
import { bundledPunktEnglishDir } from '../../support/sharedData';

type Case = [response: string, kwargs: Record<string, unknown>, passed: boolean, detail?: RegExp];

/** Cases for checkers that need no Punkt or langdetect. */
const PLAIN: Record<string, Case[]> = {
  'keywords:existence': [
    ['A cat and a DOG.', { keywords: ['dog', 'cat'] }, true, /all 2 keywords present/],
    ['concatenate the dogma', { keywords: ['cat', 'dog'] }, true],
    ['only a cat here', { keywords: ['cat', 'dog'] }, false, /missing "dog"/],
  ],
  'keywords:frequency': [
    ['AI ai Ai, the AI.', { keyword: ' ai ', frequency: 4, relation: 'at least' }, true, /asked for "ai" at least 4 times \(any case, inside words too\), found 4/],
    ['AI ai Ai', { keyword: 'ai', frequency: 4, relation: 'at least' }, false, /found 3/],
    ['paid rain', { keyword: 'ai', frequency: 2, relation: 'less than' }, false, /"ai" fewer than 2 times .*found 2/],
    ['paid', { keyword: 'ai', frequency: 2, relation: 'less than' }, true],
  ],
  'keywords:forbidden_words': [
    ['The category is fine.', { forbidden_words: ['cat'] }, true, /none of "cat" used/],
    ['My Cat sleeps.', { forbidden_words: ['dog', 'cat'] }, false, /forbidden word "cat" used at '…My Cat sleeps…'|forbidden word "cat" used at/],
    ['naïvecat', { forbidden_words: ['cat'] }, true],
    ['Über alles', { forbidden_words: ['ber'] }, true],
    ['xa a a', { forbidden_words: ['a a'] }, false, /forbidden word "a a" used at 'xa a a'/],
    ['a cat? (cats)', { forbidden_words: ['cats?'] }, false],
  ],
  'keywords:letter_frequency': [
    ['Aardvark', { letter: 'a', let_frequency: 3, let_relation: 'at least' }, true, /at least 3 "a" characters, found 3/],
    ['Aardvark', { letter: 'A', let_frequency: 3, let_relation: 'less than' }, false],
    ['# one\n# two', { letter: '#', let_frequency: 2, let_relation: 'at least' }, true, /counted literally/],
    ['# one', { letter: '#', let_frequency: 2, let_relation: 'at least' }, false, /found 1 \(counted literally/],
  ],
  'length_constraints:number_words': [
    ["don't stop", { num_words: 3, relation: 'at least' }, true, /at least 3 words, found 3/],
    ['well-known', { num_words: 3, relation: 'at least' }, false, /found 2/],
    ['one two', { num_words: 3, relation: 'less than' }, true, /fewer than 3 words, found 2/],
  ],
  'length_constraints:number_paragraphs': [
    ['one\n***\ntwo', { num_paragraphs: 2 }, true, /exactly 2 paragraphs separated by \*\*\*, found 2/],
    ['***\none\n***\ntwo\n***', { num_paragraphs: 2 }, true],
    ['one\n***\n***\ntwo', { num_paragraphs: 2 }, false, /paragraph 2 is empty/],
    ['one\n\ntwo', { num_paragraphs: 2 }, false, /found 1/],
  ],
  'length_constraints:nth_paragraph_first_word': [
    ['Intro.\n\nSummary: more', { num_paragraphs: 2, nth_paragraph: 2, first_word: 'Summary' }, false, /starts with "summary:", expected "summary"/],
    ['Intro.\n\n"Summary, more', { num_paragraphs: 2, nth_paragraph: 2, first_word: 'summary' }, true],
    ['Intro.\n\nbooster here', { num_paragraphs: 2, nth_paragraph: 2, first_word: 'summary' }, false, /paragraph 2 starts with "booster", expected "summary"/],
    ['Intro.\n\nSummary here\n\nthree', { num_paragraphs: 2, nth_paragraph: 2, first_word: 'summary' }, false, /found 3 paragraphs, expected exactly 2/],
    ['Intro only', { num_paragraphs: 2, nth_paragraph: 2, first_word: 'summary' }, false, /found only 1 paragraphs/],
    ['Intro.\n\n\n\nSummary', { num_paragraphs: 2, nth_paragraph: 2, first_word: 'summary' }, false, /paragraph 2 is empty/],
  ],
  'detectable_content:number_placeholders': [
    ['Dear [name], at [address] on []', { num_placeholders: 3 }, true, /found 3/],
    ['Dear [name\n]', { num_placeholders: 1 }, false, /found 0/],
  ],
  'detectable_content:postscript': [
    ['Body\n\nP.S. thanks', { postscript_marker: 'P.S.' }, true, /found at/],
    ['Body\np. s. thanks', { postscript_marker: 'P.S.' }, true],
    ['Body PS thanks', { postscript_marker: 'P.S.' }, false, /no postscript starting with "P.S."/],
    ['Body\nP.P.S more', { postscript_marker: 'P.P.S' }, true],
    ['Body\nP.S. more', { postscript_marker: 'P.P.S' }, false],
  ],
  'punctuation:no_comma': [
    ['No commas here，only a fullwidth one', {}, true, /no commas/],
    ['Well, the end, then', {}, false, /2 commas, first at '…Well, the end…'|2 commas, first at/],
  ],
  'detectable_format:number_bullet_lists': [
    ['* one\n* two\n- three', { num_bullets: 3 }, true, /found 3 \(2 '\*', 1 '-'/],
    ['**bold** line\n* one', { num_bullets: 1 }, true],
    ['1. one\n2. two', { num_bullets: 2 }, false, /found 0/],
    ['* one\n---\n* two', { num_bullets: 2 }, false, /found 3/],
  ],
  'detectable_format:constrained_response': [
    ['Thinking... My answer is yes.', {}, true, /contains "My answer is yes."/],
    ['my answer is yes.', {}, false, /exact case/],
  ],
  'detectable_format:number_highlighted_sections': [
    ['*one* and **two** and *three*', { num_highlights: 3 }, true, /found 3/],
    ['** ** and *  *', { num_highlights: 1 }, false, /found 0/],
    ['*open\nclose*', { num_highlights: 1 }, false],
  ],
  'detectable_format:multiple_sections': [
    ['SECTION 1\na\nSECTION 2\nb', { section_spliter: 'SECTION', num_sections: 2 }, true, /found 2/],
    ['Section 1\na\nSection 2\nb', { section_spliter: 'SECTION', num_sections: 2 }, false, /case-sensitive\), found 0/],
    ['SECTION 1 a SECTION 2 b SECTION 3', { section_spliter: 'SECTION', num_sections: 2 }, true],
  ],
  'detectable_format:json_format': [
    ['```json\n{"a": [1, 2]}\n```', {}, true, /parses as JSON/],
    ['  NaN ', {}, true],
    ['[1, -Infinity]', {}, true],
    ['[-NaN]', {}, false],
    ["{'a': 1}", {}, false, /not JSON/],
    ['{"a": 1,}', {}, false],
    ['Here it is: {"a": 1}', {}, false],
  ],
  'detectable_format:title': [
    ['<<Poem of Joy>>\ntext', {}, true, /title "<<Poem of Joy>>"/],
    ['<< >>\n<<  >>', {}, false, /found 2 empty <<>> titles/],
    ['<< >> and <<x>>', {}, true],
    ['<<broken\ntitle>>', {}, false, /no <<title>>/],
  ],
  'combination:two_responses': [
    ['First answer.\n******\nSecond answer.', {}, true, /two different answers/],
    ['Same.\n******\nSame.', {}, false, /identical/],
    ['A\n******\n******\nB', {}, false, /empty/],
    ['Only one', {}, false, /found 1/],
  ],
  'combination:repeat_prompt': [
    ['  write A poem. Here it is', { prompt_to_repeat: 'Write a poem.' }, true, /starts by repeating/],
    ['Sure! Write a poem.', { prompt_to_repeat: 'Write a poem.' }, false, /differs from the first character/],
    ['Write a song.', { prompt_to_repeat: 'Write a poem.' }, false, /after 8 matching characters/],
  ],
  'startend:end_checker': [
    ['Text. "Any other questions?"\n', { end_phrase: 'Any other questions?' }, true, /ends with "any other questions\?"/],
    ['Any other questions? Thanks', { end_phrase: 'Any other questions?' }, false, /it ends with/],
  ],
  'startend:quotation': [
    ['  "wrapped"  ', {}, true, /wrapped in double quotes/],
    ['“curly”', {}, false, /expected the reply wrapped/],
    ['"', {}, false],
  ],
};

const noAnalysis: CheckContext = {
  countSentences: () => assert.fail('not expected to count sentences'),
  capitalWords: () => assert.fail('not expected to tokenize'),
  languages: () => assert.fail('not expected to detect language'),
};

function runCase(id: string, ctx: CheckContext, [response, kwargs, passed, detail]: Case): void {
  const result = getChecker(id)!.check(response, kwargs, ctx);
  assert.equal(result.passed, passed, `${id} on ${JSON.stringify(response)}: ${result.detail}`);
  assert.ok(result.detail.length > 0);
  if (detail) assert.match(result.detail, detail);
}

describe('IFEval checkers', () => {
  it('registers exactly the 25 official instruction ids', () => {
    assert.equal(INSTRUCTION_CHECKERS.size, 25);
  });

  for (const [id, cases] of Object.entries(PLAIN)) {
    it(`${id}: ${cases.filter((c) => c[2]).length} passing and ${cases.filter((c) => !c[2]).length} failing cases`, () => {
      for (const c of cases) runCase(id, noAnalysis, c);
    });
  }

  describe('with Punkt and langdetect', () => {
    let ctx: CheckContext;
    before(function () {
      const dir = bundledPunktEnglishDir();
      ctx = createCheckContext(new PunktSentenceTokenizer(loadPunktParameters(dir)));
    });

    const cases: Record<string, Case[]> = {
      'length_constraints:number_sentences': [
        ['Dr. Smith came. He left. It rained.', { num_sentences: 3, relation: 'at least' }, true, /at least 3 sentences, found 3/],
        ['Dr. Smith came. He left.', { num_sentences: 3, relation: 'at least' }, false, /found 2/],
        ['One. Two.', { num_sentences: 2, relation: 'less than' }, false, /fewer than 2 sentences, found 2/],
      ],
      'change_case:capital_word_frequency': [
        ["I DON'T like NASA.", { capital_frequency: 4, capital_relation: 'at least' }, true, /found 4 \("I", "DO", "N'T", "NASA"\)/],
        ['Only ONE here', { capital_frequency: 2, capital_relation: 'at least' }, false, /found 1/],
        ['NO CAPS ALLOWED', { capital_frequency: 3, capital_relation: 'less than' }, false],
      ],
      'change_case:english_capital': [
        ['THIS IS A RESPONSE WRITTEN ENTIRELY IN CAPITAL LETTERS AND IN ENGLISH.', {}, true, /language detected en/],
        ['THIS IS MOSTLY CAPITALS but not all.', {}, false, /lower-case letter "b"/],
        ['12345 !!!', {}, false, /no letters with a case/],
      ],
      'change_case:english_lowercase': [
        ['this is a response written entirely in lowercase letters and in english.', {}, true, /language detected en/],
        ['this is lowercase except for One word.', {}, false, /capital letter "O"/],
        ['ceci est une réponse écrite entièrement en français et en minuscules.', {}, false, /language detected fr, expected en/],
      ],
      'language:response_language': [
        ['Dies ist eine Antwort, die vollständig auf Deutsch geschrieben ist.', { language: 'de' }, true, /language detected de, expected de/],
        ['This answer is written in English, not in Hindi at all.', { language: 'hi' }, false, /language detected en, expected hi/],
        ['12345 67890', { language: 'hi' }, true, /counts as followed/],
      ],
    };
    for (const [id, list] of Object.entries(cases)) {
      it(`${id}: ${list.filter((c) => c[2]).length} passing and ${list.filter((c) => !c[2]).length} failing cases`, () => {
        for (const c of list) runCase(id, ctx, c);
      });
    }
  });

  it('every registered id has hand cases here', () => {
    const covered = new Set([...Object.keys(PLAIN), 'length_constraints:number_sentences', 'change_case:capital_word_frequency', 'change_case:english_capital', 'change_case:english_lowercase', 'language:response_language']);
    assert.deepEqual([...INSTRUCTION_CHECKERS.keys()].filter((id) => !covered.has(id)), []);
  });

  it('pythonJsonLoads accepts what Python json.loads accepts and refuses the rest', () => {
    for (const ok of ['1', '"s"', 'null', '[NaN, Infinity, -Infinity]', '{"NaN": NaN}', ' {"a": "NaN"} ']) assert.equal(pythonJsonLoads(ok).ok, true, ok);
    for (const bad of ['', '1NaN', 'NaN.5', '{NaN: 1}', '[1,]', '// c\n1', "'a'", '--Infinity']) assert.equal(pythonJsonLoads(bad).ok, false, bad);
  });
});
