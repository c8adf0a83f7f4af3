import * as assert from 'node:assert/strict';
import { runSettingsWarnings } from '../../../src/core/compare/comparability';
import { speedStats } from '../../../src/core/compare/speed';
import { planSampling } from '../../../src/core/endpoint/samplingParams';
import type { ServerFacts } from '../../../src/core/endpoint/types';
import { runRecord } from '../../support/runFixtures';

const sampling = { temperature: 0, max_tokens: 256 };
const facts = (kind: ServerFacts['kind'], serverDefaults?: Record<string, number>, applied = true): ServerFacts => ({
  kind, baseUrl: 'http://127.0.0.1:1/v1', models: ['m'], raw: {}, probedAt: 'now',
  ...(serverDefaults ? { serverDefaults } : {}),
  ...(applied ? { samplingApplied: planSampling(kind, sampling).applied } : {}),
});
const codes = (a: ServerFacts, b: ServerFacts) =>
  runSettingsWarnings(runRecord('a', { sampling }, { serverFacts: a }), runRecord('b', { sampling }, { serverFacts: b })).filter((w) => w.code === 'server-kind' || w.code === 'effective-sampling');

describe('Compare: runs from different servers', () => {
  it('says when the runs come from different server kinds, even with every filter sent the same', () => {
    const warnings = codes(facts('llama.cpp'), facts('vllm'));
    assert.deepEqual(warnings.map((w) => w.code), ['server-kind']);
  });

  it('says which parameter was in effect differently: an old llama.cpp run took top_k 40 and min_p 0.05 from the server', () => {
    const old = facts('llama.cpp', { top_k: 40, top_p: 0.95, min_p: 0.05, repetition_penalty: 1, temperature: 0.8 }, false);
    const warnings = codes(old, facts('llama.cpp'));
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0].code, 'effective-sampling');
    assert.match(warnings[0].message, /top_p 0\.95 vs 1, top_k 40 vs off, min_p 0\.05 vs 0/);
  });

  it('a parameter one server cannot take reads as that server\'s default (LM Studio has no min_p)', () => {
    const warnings = codes(facts('lmstudio'), facts('llama.cpp'));
    assert.match(warnings.find((w) => w.code === 'effective-sampling')?.message ?? '', /min_p lmstudio default vs 0/);
  });

  it('no server warning for two runs that sampled alike on the same kind of server', () => {
    assert.deepEqual(codes(facts('vllm'), facts('vllm')), []);
  });
});

describe('speed from server timings', () => {
  const base = { itemId: 'q', sampleIndex: 0, status: 'done' as const, startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:01.000Z' };
  it('prefers the server-side generation time, which leaves out queue time and prompt processing', () => {
    // Queued for 900 ms behind another request: latency 1000 ms, but the slot generated 50 tokens in 100 ms.
    const queued = { ...base, latencyMs: 1000, completionTokens: 50, serverTimings: { generatedTokens: 50, generationMs: 100 } };
    const stats = speedStats([queued, { ...queued, itemId: 'r' }]);
    assert.equal(stats.tokensPerSecond, 500);
    assert.equal(stats.tokensPerSecondSource, 'server timings');
    const clientOnly = speedStats([{ ...base, latencyMs: 1000, completionTokens: 50 }]);
    assert.deepEqual([clientOnly.tokensPerSecond, clientOnly.tokensPerSecondSource], [50, 'request latency']);
  });
});
