/**
 * The HumanEval benchmark definition (host side) and its offline-scoring adapter. Problems come from the
 * user's file (--dataset, .jsonl or .jsonl.gz), else the official file bundled with EvalBench (or the
 * newer copy `evalbench data update` fetched). Nothing is downloaded when a run starts.
 */
import { resolveDataCopy } from '../../data/dataLocation';
import type { PromptMode } from '../../endpoint/types';
import { DatasetError } from '../../errors';
import type { BenchmarkDefinition, BenchmarkItem, DatasetSource, ItemScore, MetricValue, OfflineScoringAdapter, ScoredSample } from '../types';
import { loadHumanevalFile, type HumanevalItemData } from './dataset';
import { HUMANEVAL_STOP_SEQUENCES } from './extraction';
import { meanPassAtK } from './passAtK';
import type { HumanevalScoreDetails } from './scorer';

export const CHAT_INSTRUCTION =
  'Complete the following Python function. Reply with the complete function (its signature and body) in one ```python code block; keep the imports it needs.';

export function humanevalChatMessage(prompt: string): string {
  return `${CHAT_INSTRUCTION}\n\n\`\`\`python\n${prompt.replace(/\s+$/, '')}\n\`\`\``;
}

export const humanevalBenchmark: BenchmarkDefinition<HumanevalItemData> = {
  id: 'humaneval',
  version: '1',
  displayName: 'HumanEval',
  defaultSampling: { temperature: 0, max_tokens: 512 },

  async loadDataset(source: DatasetSource) {
    if (source.path) return loadHumanevalFile(source.path);
    const copy = resolveDataCopy('humaneval', source.cacheDir);
    return loadHumanevalFile(copy.path, copy.origin);
  },

  buildPrompt(item: BenchmarkItem<HumanevalItemData>, mode: PromptMode) {
    if (mode === 'chat') return { messages: [{ role: 'user', content: humanevalChatMessage(item.data.prompt) }] };
    return { prompt: item.data.prompt, stop: [...HUMANEVAL_STOP_SEQUENCES] };
  },

  aggregate(samples: ScoredSample[]): MetricValue[] {
    const perItem = new Map<string, { n: number; c: number }>();
    for (const s of samples) {
      const e = perItem.get(s.itemId) ?? { n: 0, c: 0 };
      e.n++;
      if (s.score.passed) e.c++;
      perItem.set(s.itemId, e);
    }
    const problems = [...perItem.values()];
    const metrics: MetricValue[] = [];
    for (const [k, value] of meanPassAtK(problems)) {
      metrics.push({ name: `pass@${k}`, label: `pass@${k}`, value, n: problems.length });
    }
    if (metrics.length === 0) metrics.push({ name: 'pass@1', label: 'pass@1', value: 0, n: 0 });
    return metrics;
  },

  scoreForFailure(_item, reason, cause): ItemScore {
    return {
      passed: false,
      score: 0,
      values: { passed: 0 },
      failureCause: cause,
      explanation: [{ check: 'response', passed: false, detail: reason }],
    };
  },
};

/**
 * `evalbench score --benchmark humaneval --responses samples.jsonl`. Rows in the official samples format,
 * {"task_id": "HumanEval/0", "completion": "…"} (several rows per task are samples), are appended to the
 * prompt exactly as the official evaluate_functional_correctness does: a completion wrapped in a markdown
 * fence is a syntax error there, and here. Rows {"task_id", "response": "…"} are chat replies, whose code is
 * extracted from fences and prose first (as in a chat-mode run); `--extract` extracts completions too.
 */
export const humanevalOfflineAdapter: OfflineScoringAdapter<HumanevalItemData> = {
  benchmarkId: 'humaneval',
  parseRow(row, location) {
    const r = row as Record<string, unknown> | null;
    if (!r || typeof r !== 'object' || Array.isArray(r)) throw new DatasetError('expected a JSON object {"task_id": …, "completion": …}', location);
    if (typeof r.task_id !== 'string') throw new DatasetError("missing field 'task_id' (a string such as \"HumanEval/0\")", location);
    if (typeof r.completion === 'string') return { itemId: r.task_id, response: r.completion, options: { promptMode: 'as_given' } };
    if (typeof r.response === 'string') return { itemId: r.task_id, response: r.response, options: { promptMode: 'chat' } };
    throw new DatasetError("missing field 'completion' (a raw completion, scored as given) or 'response' (a chat reply, code extracted)", location);
  },
  formatRow(item, _response, score) {
    const details = score.details as HumanevalScoreDetails | undefined;
    const row: Record<string, unknown> = { task_id: item.id, passed: score.passed, result: details?.result ?? (score.passed ? 'passed' : 'failed: ') };
    if (details?.suspicious) row.suspicious = details.suspicious;
    return row;
  },
  formatError(item, reason) {
    return { task_id: item.id, passed: null, result: null, error: reason };
  },
};
