/**
 * The figures README.md states about the reference data, recomputed from ../shared/data: a README that
 * drifts from the originals fails here. (Agreement of our scorers with those figures is proven by the
 * scorer tests: ifeval/originals, ifeval-text/utilGolden, humaneval.)
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJsonl, requireSharedData } from '../../support/sharedData';

const README = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8').replace(/\s+/g, ' ');
const thousands = (n: number) => n.toLocaleString('en-US');

describe('README claims about the reference data', () => {
  it('the official IFEval headline on GPT-4 is what the official result files give', function () {
    const figures = (['strict', 'loose'] as const).map((mode) => {
      const rows = readJsonl<{ follow_instruction_list: boolean[] }>(requireSharedData(this, `ifeval/official_results_${mode}.jsonl`));
      const prompts = rows.filter((r) => r.follow_instruction_list.every(Boolean)).length;
      const followed = rows.reduce((sum, r) => sum + r.follow_instruction_list.filter(Boolean).length, 0);
      const total = rows.reduce((sum, r) => sum + r.follow_instruction_list.length, 0);
      return `${prompts}/${rows.length}, ${followed}/${total} ${mode}`;
    });
    assert.deepEqual(figures, ['417/541, 698/834 strict', '430/541, 713/834 loose']);
    assert.ok(README.includes(`The official result files give ${figures[0]} and ${figures[1]}`), 'README states the official files\' headline');
  });

  it('counts: IFEval oracle responses and their random-letter rows, golden texts, HumanEval problems and oracle completions', function () {
    const oracle = readJsonl<{ key: number }>(requireSharedData(this, 'ifeval/oracle_public.jsonl'));
    assert.ok(README.includes(`all ${thousands(oracle.length)} oracle responses`));
    const randomLetterRows = oracle.filter((r) => r.key === 1122 || r.key === 1129).length;
    assert.equal(randomLetterRows, 6);
    assert.ok(README.includes('Six oracle rows were labelled with a random letter'));
    const gpt4 = readJsonl(requireSharedData(this, 'ifeval/input_response_data_gpt4_20231107_145030.jsonl'));
    assert.ok(README.includes(`GPT-4's ${gpt4.length} published responses`));
    const golden = readJsonl(requireSharedData(this, 'ifeval/util_golden.jsonl'));
    assert.ok(README.includes(`all ${thousands(golden.length)} golden texts`));
    const problems = readJsonl(requireSharedData(this, 'humaneval/HumanEval.jsonl.gz'));
    assert.ok(README.includes(`all ${problems.length} canonical solutions`));
    const completions = readJsonl(requireSharedData(this, 'humaneval/oracle_public.jsonl'));
    assert.ok(README.includes(`all ${completions.length} labelled oracle completions`));
  });
});
