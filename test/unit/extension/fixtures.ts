/** Fixture builders for the extension's view-model tests. */
import type { ItemScore } from '../../../src/core/benchmarks/types';
import type { RunRecord, RunSummary, SampleRecord, StoredItem } from '../../../src/core/storage/types';

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

export function item(id: string, index: number, prompt = `prompt of ${id}`): StoredItem {
  return { id, index, prompt: { messages: [{ role: 'user', content: prompt }] }, data: {} };
}

export function score(passed: boolean, failedChecks: string[] = [], cause?: string): ItemScore {
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

export function sample(itemId: string, overrides: Partial<SampleRecord> = {}): SampleRecord {
  return {
    itemId,
    sampleIndex: 0,
    status: 'done',
    response: `answer to ${itemId}`,
    startedAt: '2026-11-20T10:00:00.000Z',
    finishedAt: '2026-11-20T10:00:01.000Z',
    latencyMs: 1000,
    score: score(true),
    ...overrides,
  };
}

export function runRecord(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    id: 'run-1',
    createdAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:05:00.000Z',
    status: 'done',
    config: {
      benchmarkId: 'custom',
      benchmarkVersion: '1',
      datasetOrigin: '/data/tiny.jsonl',
      datasetSha256: 'abc',
      endpoint: { baseUrl: 'http://127.0.0.1:8080/v1', model: 'fake-model', mode: 'chat' },
      sampling: { temperature: 0, max_tokens: 256 },
      samplesPerItem: 1,
      concurrency: 4,
      itemTimeoutMs: 60_000,
    },
    metrics: [{ name: 'accuracy', label: 'Accuracy', value: 0.5, n: 4 }],
    ...overrides,
  };
}
