/**
 * Against the official IFEval verdicts (../shared/data/ifeval): runs built from the official scorer's
 * per-instruction labels must give the official headline numbers, in the export and in the comparison.
 */
import * as assert from 'node:assert/strict';
import type { ItemScore } from '../../../src/core/benchmarks/types';
import { compareRuns } from '../../../src/core/compare/compareRuns';
import { toJsonReport } from '../../../src/core/export/jsonReport';
import { exactMcNemar } from '../../../src/core/stats/mcnemar';
import { readJsonl, requireSharedData } from '../../support/sharedData';
import { ifevalScore, runWith } from '../../support/runFixtures';

interface Verdicts { ids: string[]; strict: boolean[]; loose: boolean[] }

function score(v: Verdicts): ItemScore {
  return ifevalScore(v.ids.map((id, i) => ({ id, strict: v.strict[i], loose: v.loose[i] })));
}

describe('IFEval official verdicts (shared reference data)', function () {
  let gpt4: Map<string, ItemScore[]>;
  let oracle: Map<string, ItemScore[]>;

  before(function () {
    const inputs = readJsonl(requireSharedData(this, 'ifeval/input_data_gpt4_20231107_145030.jsonl'));
    const strict = readJsonl(requireSharedData(this, 'ifeval/official_results_strict.jsonl'));
    const loose = readJsonl(requireSharedData(this, 'ifeval/official_results_loose.jsonl'));
    const oracleRows = readJsonl(requireSharedData(this, 'ifeval/oracle_public.jsonl'));
    const idsByKey = new Map<string, string[]>();
    gpt4 = new Map();
    inputs.forEach((input, i) => {
      // The result files follow the input file's order (they carry the prompt, not the key).
      assert.equal(strict[i].prompt, input.prompt);
      idsByKey.set(String(input.key), input.instruction_id_list);
      gpt4.set(String(input.key), [score({ ids: input.instruction_id_list, strict: strict[i].follow_instruction_list, loose: loose[i].follow_instruction_list })]);
    });
    oracle = new Map();
    for (const row of oracleRows) {
      const key = String(row.key);
      oracle.set(key, [...(oracle.get(key) ?? []), score({ ids: idsByKey.get(key)!, strict: row.strict, loose: row.loose })]);
    }
  });

  it('the export reproduces the official headline on the GPT-4 responses', () => {
    const report = toJsonReport(runWith('gpt4', { benchmarkId: 'ifeval' }, gpt4), { resamples: 1000 }) as any;
    const m = report.benchmarks.ifeval;
    assert.equal(m.questions, 541);
    assert.equal(m.prompt_strict.toFixed(4), '0.7708');
    assert.equal(m.inst_strict.toFixed(4), '0.8369');
    assert.equal(m.prompt_loose.toFixed(4), '0.7948');
    assert.equal(m.inst_loose.toFixed(4), '0.8549');
    assert.equal(m.overall_score, m.prompt_strict);
  });

  it('the export reproduces the oracle set headline with 3 samples per prompt', () => {
    const m = (toJsonReport(runWith('oracle', { benchmarkId: 'ifeval', samplesPerItem: 3 }, oracle), { resamples: 1000 }) as any).benchmarks.ifeval;
    assert.equal(m.prompt_strict.toFixed(4), '0.4412');
    assert.equal(m.prompt_loose.toFixed(4), '0.5459');
    assert.equal(m.inst_strict.toFixed(4), '0.5384');
    assert.equal(m.inst_loose.toFixed(4), '0.6371');
    assert.equal(m.n_samples, 3);
  });

  it('GPT-4 vs the first oracle response per prompt: McNemar on the official verdicts, 541 paired prompts', () => {
    const firstOracle = new Map([...oracle].map(([k, v]) => [k, [v[0]]]));
    const result = compareRuns(runWith('gpt4', { benchmarkId: 'ifeval' }, gpt4), runWith('oracle', { benchmarkId: 'ifeval' }, firstOracle), { resamples: 2000 });
    let onlyA = 0;
    let onlyB = 0;
    for (const [key, [a]] of gpt4) {
      const b = firstOracle.get(key)![0];
      if (a.passed && !b.passed) onlyA++;
      if (!a.passed && b.passed) onlyB++;
    }
    const headline = result.headline!;
    assert.equal(headline.name, 'prompt_strict');
    assert.equal(headline.n, 541);
    assert.deepEqual(headline.discordant, { onlyA, onlyB });
    assert.equal(headline.pValue, exactMcNemar(onlyA, onlyB).pValue);
    const passB = [...firstOracle.values()].filter(([x]) => x.passed).length;
    assert.ok(Math.abs(headline.delta - (passB - 417) / 541) < 1e-12); // GPT-4: 417 of 541 (0.7708)
    assert.ok(headline.significant);
    const points = (Math.abs(passB - 417) / 5.41).toFixed(1);
    const sentence = new RegExp(`^B is ${points.replace('.', '\\.')} points ${passB > 417 ? 'better' : 'worse'} than A on prompt-level strict accuracy \\(77\\.1% → ${(passB / 5.41).toFixed(1).replace('.', '\\.')}%\\), 95% CI of B − A −?[\\d.]+ to −?[\\d.]+ points, p < 0\\.001 \\(exact McNemar, 541 paired prompts\\): unlikely to be chance\\.$`);
    assert.match(headline.sentence, sentence);
    assert.equal(result.instructions!.reduce((s, r) => s + r.total, 0), [...gpt4.values()].reduce((s, [x]) => s + x.values.inst_total, 0));
  });
});
