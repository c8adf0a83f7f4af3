/**
 * The one set of builders for in-memory runs in tests: run records, stored items, samples, scores and
 * whole runs (RunData), and run summaries for the runs tree. Used by the compare, export, chart, CLI and
 * extension view-model tests. (Run files on disk are built by test/unit/storage/fixtures/runFixtures.ts.)
 */
import type { ItemScore } from '../../src/core/benchmarks/types';
import type { RunData } from '../../src/core/compare/runData';
import type { RunConfig, RunRecord, RunSummary, SampleRecord, StoredItem } from '../../src/core/storage/types';

/** A finished custom-benchmark run; `config` and `record` override its fields. Its model is `model-${id}`. */
export function runRecord(id = 'run-1', config: Partial<RunConfig> = {}, record: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    createdAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T11:00:00.000Z',
    status: 'done',
    config: {
      benchmarkId: 'custom',
      benchmarkVersion: '1',
      datasetOrigin: '/data/set.jsonl',
      datasetSha256: 'abc',
      endpoint: { baseUrl: 'http://127.0.0.1:8080/v1', model: `model-${id}`, mode: 'chat' },
      sampling: { temperature: 0, max_tokens: 512 },
      samplesPerItem: 1,
      concurrency: 4,
      itemTimeoutMs: 60_000,
      ...config,
    },
    metrics: [],
    ...record,
  };
}

/** A stored chat item whose prompt is one user message. */
export function item(id: string, index: number, prompt = `prompt of ${id}`): StoredItem {
  return { id, index, prompt: { messages: [{ role: 'user', content: prompt }] }, data: {} };
}

/** A finished sample of `itemId` (sample 0) with this score; `extra` overrides any field. */
export function sample(itemId: string, score: ItemScore | undefined, extra: Partial<SampleRecord> = {}): SampleRecord {
  return {
    itemId,
    sampleIndex: 0,
    status: 'done',
    response: `answer to ${itemId}`,
    startedAt: '2026-11-20T10:00:00.000Z',
    finishedAt: '2026-11-20T10:00:01.000Z',
    score,
    ...extra,
  };
}

/** A one-check verdict (custom / GSM8K shaped): the answer matched or it did not. */
export function binaryScore(passed: boolean, failureCause?: string): ItemScore {
  return {
    passed,
    score: passed ? 1 : 0,
    values: {},
    failureCause: passed ? undefined : failureCause,
    explanation: [{ check: 'answer', passed, detail: passed ? 'matched' : 'expected "4", got "5"' }],
  };
}

/** A verdict over named checks: one that held (`detectable_format:title`) and each of `failedChecks`, which did not. */
export function checkedScore(passed: boolean, failedChecks: string[] = [], cause?: string): ItemScore {
  return {
    passed,
    score: Number(passed),
    values: {},
    failureCause: cause,
    explanation: [
      { check: 'detectable_format:title', passed: true, detail: 'found <<Title>>' },
      ...failedChecks.map((check) => ({ check, passed: false, detail: `${check} not followed` })),
    ],
  };
}

/** An IFEval-shaped score: per-instruction strict/loose verdicts. */
export function ifevalScore(instructions: { id: string; strict: boolean; loose: boolean }[]): ItemScore {
  const strictAll = instructions.every((i) => i.strict);
  const looseAll = instructions.every((i) => i.loose);
  return {
    passed: strictAll,
    score: strictAll ? 1 : 0,
    values: {
      prompt_strict: Number(strictAll),
      prompt_loose: Number(looseAll),
      inst_strict_passed: instructions.filter((i) => i.strict).length,
      inst_loose_passed: instructions.filter((i) => i.loose).length,
      inst_total: instructions.length,
    },
    explanation: instructions.flatMap((i) => [
      { check: i.id, mode: 'strict', passed: i.strict, detail: i.strict ? 'followed' : 'not followed' },
      { check: i.id, mode: 'loose', passed: i.loose, detail: i.loose ? 'followed' : 'not followed' },
    ]),
    details: { instruction_id_list: instructions.map((i) => i.id), strict: instructions.map((i) => i.strict), loose: instructions.map((i) => i.loose) },
  };
}

/** A custom-benchmark run with one sample per item; outcomes[i] is item `q${i}`'s verdict. */
export function binaryRun(id: string, outcomes: boolean[], config: Partial<RunConfig> = {}): RunData {
  return {
    run: runRecord(id, config),
    items: outcomes.map((_, i) => item(`q${i}`, i, `question ${i}`)),
    samples: outcomes.map((passed, i) => sample(`q${i}`, binaryScore(passed, 'wrong'))),
  };
}

/** A run whose items are the keys of `scores`, each with one sample per score, in order. */
export function runWith(id: string, config: Partial<RunConfig>, scores: Map<string, ItemScore[]>): RunData {
  const ids = [...scores.keys()];
  return {
    run: runRecord(id, config),
    items: ids.map((itemId, index) => ({ id: itemId, index, prompt: { prompt: `prompt ${itemId}` }, data: {} })),
    samples: ids.flatMap((itemId) => scores.get(itemId)!.map((score, sampleIndex) => sample(itemId, score, { sampleIndex }))),
  };
}

/** A run's line in the runs tree: an IFEval run of 10 samples, 7 passed. */
export function summary(overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    id: 'run-1',
    file: '/runs/run-1.sqlite',
    createdAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:05:00.000Z',
    status: 'done',
    benchmarkId: 'ifeval',
    benchmarkVersion: '1',
    model: 'qwen',
    baseUrl: 'http://127.0.0.1:8080/v1',
    metrics: [],
    counts: { total: 10, passed: 7, wrong: 3, request_failed: 0, scoring_error: 0, pending: 0 },
    ...overrides,
  };
}
