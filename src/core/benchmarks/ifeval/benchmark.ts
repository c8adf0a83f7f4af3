/**
 * The IFEval benchmark definition (host side) and its offline-scoring adapter. The dataset is the
 * user's file, else the official google-research input_data.jsonl bundled with EvalBench (or the
 * newer copy `evalbench data update` fetched). Nothing is downloaded when a run starts.
 */
import { dataDigest } from '../../data/bundledData';
import { resolveDataCopy } from '../../data/dataLocation';
import type { PromptMode } from '../../endpoint/types';
import { DatasetError } from '../../errors';
import type { BenchmarkDefinition, BenchmarkItem, DatasetSource, LoadedDataset, MetricValue, OfflineScoringAdapter, ScoredSample } from '../types';
import { loadIfevalFile, type IfevalItemData } from './dataset';
import { ifevalFailureScore, type IfevalScoreDetails } from './scorer';
import { ensurePunktEnglish, loadPunktEnglishTokenizer } from './text/punktData';

const METRICS = [
  { name: 'prompt_strict', label: 'Prompt-level strict accuracy', passed: 'prompt_strict', total: undefined },
  { name: 'inst_strict', label: 'Instruction-level strict accuracy', passed: 'inst_strict_passed', total: 'inst_total' },
  { name: 'prompt_loose', label: 'Prompt-level loose accuracy', passed: 'prompt_loose', total: undefined },
  { name: 'inst_loose', label: 'Instruction-level loose accuracy', passed: 'inst_loose_passed', total: 'inst_total' },
] as const;

export const ifevalBenchmark: BenchmarkDefinition<IfevalItemData> = {
  id: 'ifeval',
  version: '1',
  displayName: 'IFEval',
  defaultSampling: { temperature: 0, max_tokens: 1280 },

  async loadDataset(source: DatasetSource): Promise<LoadedDataset<IfevalItemData>> {
    if (source.path) return loadIfevalFile(source.path);
    const copy = resolveDataCopy('ifeval', source.cacheDir);
    return loadIfevalFile(copy.path, copy.origin);
  },

  buildPrompt(item: BenchmarkItem<IfevalItemData>, mode: PromptMode) {
    if (mode === 'chat') return { messages: [{ role: 'user', content: item.data.prompt }] };
    return { prompt: item.data.prompt };
  },

  aggregate(samples: ScoredSample[]): MetricValue[] {
    return METRICS.map((metric) => {
      if (metric.total === undefined) {
        // Prompt level: the mean over prompts of each prompt's mean over its samples.
        const perItem = new Map<string, { sum: number; count: number }>();
        for (const s of samples) {
          const e = perItem.get(s.itemId) ?? { sum: 0, count: 0 };
          e.sum += s.score.values[metric.passed] ?? 0;
          e.count++;
          perItem.set(s.itemId, e);
        }
        let total = 0;
        for (const e of perItem.values()) total += e.sum / e.count;
        return { name: metric.name, label: metric.label, value: perItem.size ? total / perItem.size : 0, n: perItem.size };
      }
      // Instruction level: followed instructions over all instructions (the official 698/834).
      let passed = 0;
      let total = 0;
      for (const s of samples) {
        passed += s.score.values[metric.passed] ?? 0;
        total += s.score.values[metric.total] ?? 0;
      }
      return { name: metric.name, label: metric.label, value: total ? passed / total : 0, n: total };
    });
  },

  scoreForFailure: ifevalFailureScore,
  async prepare({ cacheDir, options }, signal) {
    // The worker loads the same folder later; doing it here first turns a wrong Punkt folder into one
    // clear error before any model is asked, and tells the run file which copy and digest were used.
    const userPath = typeof options.punktDir === 'string' ? options.punktDir : undefined;
    await loadPunktEnglishTokenizer({ path: userPath, cacheDir, signal });
    const dir = await ensurePunktEnglish({ path: userPath, cacheDir });
    const copy = userPath ? { copy: 'user' as const, origin: dir } : resolveDataCopy('punkt', cacheDir);
    return [{ label: 'NLTK Punkt English parameters', copy: copy.copy, origin: copy.origin, sha256: dataDigest('punkt', dir) }];
  },
};

/** `evalbench score --benchmark ifeval --responses F.jsonl`: rows {"key": 1000, "response": "…"}. */
export const ifevalOfflineAdapter: OfflineScoringAdapter<IfevalItemData> = {
  benchmarkId: 'ifeval',
  parseRow(row, location) {
    const r = row as Record<string, unknown> | null;
    if (!r || typeof r !== 'object' || Array.isArray(r)) throw new DatasetError('expected a JSON object {"key": …, "response": …}', location);
    if (typeof r.key !== 'number' || !Number.isInteger(r.key)) {
      throw new DatasetError(`missing field 'key' (the IFEval item's integer key); got ${JSON.stringify(r.key)}`, location);
    }
    if (typeof r.response !== 'string') throw new DatasetError("missing field 'response' (a string)", location);
    return { itemId: String(r.key), response: r.response };
  },
  formatRow(item, _response, score) {
    const details = score.details as IfevalScoreDetails | undefined;
    const strict = details?.strict ?? [];
    const loose = details?.loose ?? [];
    return {
      key: item.data.key,
      strict,
      loose,
      follow_all_strict: strict.every(Boolean),
      follow_all_loose: loose.every(Boolean),
      explanations: score.explanation.map((e) => `${e.check} (${e.mode}): ${e.passed ? 'followed' : 'not followed'}: ${e.detail}`),
    };
  },
  formatError(item, reason) {
    return { key: item.data.key, strict: null, loose: null, follow_all_strict: null, follow_all_loose: null, error: reason };
  },
};
