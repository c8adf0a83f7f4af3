/**
 * The GSM8K benchmark definition (host side) and its offline-scoring adapter. Problems come from the
 * user's test file (--dataset) or the copy in use of data/gsm8k/test.jsonl (bundled, or updated on
 * request); few-shot exemplars come from the train.jsonl beside the user's test file, else the copy in
 * use of data/gsm8k/train.jsonl.
 *
 * Options: `shots` (0 = zero-shot; default 0 in chat mode, 8 in completions mode, where a base model
 * needs worked examples to answer in the expected form) and `answerMarkers` (strict extraction's
 * markers; default "The answer is" and "####").
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PromptMode } from '../../endpoint/types';
import { resolveDataCopy } from '../../data/dataLocation';
import { ConfigError, DatasetError, errorMessage } from '../../errors';
import { meanOverItems } from '../aggregate';
import type { BenchmarkDefinition, BenchmarkItem, DatasetSource, ItemScore, LoadedDataset, OfflineScoringAdapter } from '../types';
import { loadGsm8kFile, readGsm8kProblems, type Gsm8kItemData } from './dataset';
import { buildExemplars, DEFAULT_SHOTS, gsm8kPrompt, type Exemplar } from './prompts';
import type { Gsm8kScoreDetails } from './scorer';

export interface Gsm8kOptions {
  shots?: number;
}

/** Shots used in a prompt mode when the user chose none. */
export function defaultShots(mode: PromptMode): number {
  return mode === 'chat' ? 0 : DEFAULT_SHOTS;
}

export function gsm8kBenchmark(options: Gsm8kOptions = {}): BenchmarkDefinition<Gsm8kItemData> {
  const { shots } = options;
  if (shots !== undefined && (!Number.isInteger(shots) || shots < 0)) throw new ConfigError(`gsm8k: shots must be a whole number ≥ 0, got ${shots}`);
  // Filled by loadDataset; prompts are built right after loading and stored with the run's items.
  let train: { file: string; exemplars: Exemplar[] } | undefined;
  let trainError: string | undefined;
  return {
    id: 'gsm8k',
    version: '1',
    displayName: 'GSM8K',
    // Chains of thought are long; 8-shot answers in the harness are cut at 256 tokens only because of "Q:".
    defaultSampling: { temperature: 0, max_tokens: 1024 },

    async loadDataset(source: DatasetSource): Promise<LoadedDataset<Gsm8kItemData>> {
      const testCopy = source.path ? undefined : resolveDataCopy('gsm8k-test', source.cacheDir);
      const testFile = source.path ?? testCopy!.path;
      const dataset = loadGsm8kFile(testFile, testCopy?.origin ?? testFile);
      const wanted = shots ?? DEFAULT_SHOTS;
      train = undefined;
      trainError = undefined;
      if (wanted === 0) return dataset;
      let trainFile = source.path ? siblingTrainFile(source.path) : undefined;
      if (!trainFile) {
        try {
          trainFile = resolveDataCopy('gsm8k-train', source.cacheDir).path;
        } catch (error) {
          trainError = `no train.jsonl beside ${testFile}, and ${errorMessage(error)}`;
          if (shots !== undefined) throw new DatasetError(trainError);
          return dataset;
        }
      }
      const read = readGsm8kProblems(trainFile);
      if (read.problems.length < wanted) {
        const error = new DatasetError(`has ${read.problems.length} problems, fewer than the ${wanted} few-shot exemplars asked for`, trainFile);
        // Asked for explicitly: fail now. The default only matters if a completions-mode prompt needs it.
        if (shots !== undefined) throw error;
        trainError = error.message;
        return dataset;
      }
      train = { file: trainFile, exemplars: buildExemplars(read.problems, wanted) };
      dataset.origin = `${dataset.origin} (few-shot exemplars, when used: the first ${wanted} problems of ${trainFile}, sha256 ${read.sha256})`;
      return dataset;
    },

    buildPrompt(item: BenchmarkItem<Gsm8kItemData>, mode: PromptMode) {
      const n = shots ?? defaultShots(mode);
      if (n === 0) return gsm8kPrompt(item.data.question, mode, []);
      if (!train) throw new ConfigError(`GSM8K ${n}-shot needs exemplars: ${trainError ?? 'the dataset was not loaded'}; or use 0 shots`);
      return gsm8kPrompt(item.data.question, mode, train.exemplars.slice(0, n));
    },

    aggregate(samples, itemCount) {
      const strict = meanOverItems(samples, itemCount, (s) => s.score.values.strict ?? 0);
      const flexible = meanOverItems(samples, itemCount, (s) => s.score.values.flexible ?? 0);
      return [
        { name: 'exact_match_strict', label: 'Exact match, strict (after "The answer is")', value: strict.value, n: strict.n },
        { name: 'exact_match_flexible', label: 'Exact match, flexible (last number)', value: flexible.value, n: flexible.n },
      ];
    },

    scoreForFailure(_item, reason, cause): ItemScore {
      return { passed: false, score: 0, values: { strict: 0, flexible: 0 }, failureCause: cause, explanation: [{ check: 'response', passed: false, detail: reason }] };
    },
  };
}

function siblingTrainFile(testFile: string): string | undefined {
  const file = path.join(path.dirname(testFile), 'train.jsonl');
  return file !== testFile && fs.existsSync(file) ? file : undefined;
}

/** `evalbench score --benchmark gsm8k --responses F.jsonl`: rows {"id": "0", "response": "…"} (id = 0-based test line). */
export const gsm8kOfflineAdapter: OfflineScoringAdapter<Gsm8kItemData> = {
  benchmarkId: 'gsm8k',
  parseRow(row, location) {
    const r = row as Record<string, unknown> | null;
    if (!r || typeof r !== 'object' || Array.isArray(r)) throw new DatasetError('expected a JSON object {"id": …, "response": …}', location);
    if (typeof r.id !== 'string' && !Number.isInteger(r.id)) throw new DatasetError(`missing field 'id' (the problem's 0-based line in test.jsonl); got ${JSON.stringify(r.id)}`, location);
    if (typeof r.response !== 'string') throw new DatasetError("missing field 'response' (a string)", location);
    return { itemId: String(r.id), response: r.response };
  },
  formatRow(item, _response, score) {
    const details = score.details as Gsm8kScoreDetails | undefined;
    return {
      id: item.id,
      reference: item.data.answer,
      strict: details?.strict ?? null,
      flexible: details?.flexible ?? null,
      strict_correct: score.values.strict === 1,
      flexible_correct: score.values.flexible === 1,
      explanation: score.explanation.map((e) => `${e.check}: ${e.detail}`),
    };
  },
  formatError(item, reason) {
    return { id: item.id, reference: item.data.answer, strict: null, flexible: null, strict_correct: null, flexible_correct: null, error: reason };
  },
};
