/**
 * GSM8K scoring against the originals: the 5,276 published model solutions (4 per test problem) with
 * the official `is_correct` labels. Those solutions end with "A: N", so the matching extraction is the
 * strict one with the marker "A:"; the reference is the number after "####" in test.jsonl.
 */
import * as assert from 'node:assert/strict';
import { loadGsm8kFile, scoreGsm8k, extractStrict, normalizeNumber, sameAnswer } from '../../../src/core/benchmarks/gsm8k';
import { readJsonl, requireSharedData } from '../../support/sharedData';

const MODELS = ['6b_finetuning', '6b_verification', '175b_finetuning', '175b_verification'] as const;

describe('GSM8K against the official labels', function () {
  this.timeout(120_000);

  it('the strict "A:" extraction (and the flexible one) reproduces all 5,276 is_correct labels of example_model_solutions.jsonl', function () {
    const testFile = requireSharedData(this, 'gsm8k/test.jsonl');
    const solutionsFile = requireSharedData(this, 'gsm8k/example_model_solutions.jsonl');
    const problems = loadGsm8kFile(testFile).items;
    const rows = readJsonl<Record<string, any>>(solutionsFile);
    assert.equal(problems.length, 1319);
    assert.equal(rows.length, 1319);
    let labels = 0;
    let agree = 0;
    let correct = 0;
    let flexibleAgree = 0;
    const disagreements: string[] = [];
    rows.forEach((row, i) => {
      const problem = problems[i];
      assert.equal(row.question, problem.data.question, `row ${i + 1} is not test problem ${i}`);
      // The published ground truth ends "A: N"; it must be the same number as test.jsonl's "#### N".
      const truth = extractStrict(row.ground_truth, ['A:']);
      assert.ok(truth && sameAnswer(truth.normalized, problem.data.answer), `row ${i + 1}: ground truth ${truth?.normalized} vs ${problem.data.answer}`);
      for (const model of MODELS) {
        const { solution, is_correct: label } = row[model];
        const score = scoreGsm8k(problem.data.answer, solution, { markers: ['A:'] });
        labels++;
        if (score.passed === label) agree++;
        if ((score.values.flexible === 1) === label) flexibleAgree++;
        else disagreements.push(`${i}/${model}: label ${label}, strict read ${JSON.stringify(score.explanation[0].detail)}`);
        if (label) correct++;
      }
    });
    assert.deepEqual(disagreements.slice(0, 10), []);
    assert.equal(labels, 5276);
    assert.equal(agree, 5276);
    // The solutions end with their answer, so the last number is the same one: flexible agrees too.
    assert.equal(flexibleAgree, 5276);
    // Both outcomes occur, so agreement is not the trivial all-true or all-false.
    assert.ok(correct > 500 && correct < 4776, `correct labels: ${correct}`);
    console.log(`      GSM8K: ${agree}/${labels} official labels reproduced (${correct} correct, ${labels - correct} wrong)`);
  });

  it('every reference answer in test.jsonl normalises to an integer', function () {
    const testFile = requireSharedData(this, 'gsm8k/test.jsonl');
    for (const item of loadGsm8kFile(testFile).items) assert.match(item.data.answer, /^-?\d+$/, `problem ${item.id}: ${item.data.answer}`);
    assert.equal(normalizeNumber('1,000'), '1000');
  });
});
