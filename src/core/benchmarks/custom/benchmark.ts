import type { PromptMode } from '../../endpoint/types';
import { withFix } from '../../fixHints';
import { ConfigError } from '../../errors';
import type { BenchmarkDefinition, BenchmarkItem, DatasetSource, OfflineScoringAdapter, PromptPayload } from '../types';
import { meanOverItems } from '../aggregate';
import { CUSTOM_SCORERS, loadCustomDataset, type CustomItemData, type CustomScorerKind } from './dataset';
import { DatasetError } from '../../errors';

export function customBenchmark(defaultScorer: CustomScorerKind = 'exact'): BenchmarkDefinition<CustomItemData> {
  if (!(CUSTOM_SCORERS as readonly string[]).includes(defaultScorer)) {
    throw new ConfigError(`unknown custom scorer '${defaultScorer}': use one of ${CUSTOM_SCORERS.join(', ')}`);
  }
  return {
    id: 'custom',
    version: '1',
    displayName: 'Custom JSONL',
    defaultSampling: { temperature: 0, max_tokens: 512 },
    async loadDataset(source: DatasetSource) {
      if (!source.path) throw withFix(new ConfigError('a custom benchmark needs a JSONL file'), 'customDataset');
      return loadCustomDataset(source.path, defaultScorer);
    },
    buildPrompt(item: BenchmarkItem<CustomItemData>, mode: PromptMode): PromptPayload {
      const { prompt, messages } = item.data;
      if (mode === 'chat') return { messages: messages ?? [{ role: 'user', content: prompt ?? '' }] };
      // Completions mode with a chat-only line: the conversation as plain text, so the item is still asked.
      return { prompt: prompt ?? messages!.map((m) => m.content).join('\n\n') };
    },
    aggregate(samples, itemCount) {
      const accuracy = meanOverItems(samples, itemCount, (s) => s.score.score);
      const metrics = [{ name: 'accuracy', label: 'Accuracy', value: accuracy.value, n: accuracy.n }];
      // Judged rows also carry the judge's graded score (a B is 0.75): its mean over the judged items.
      const judged = samples.filter((s) => s.score.values.judge_score !== undefined);
      if (judged.length > 0) {
        const mean = meanOverItems(judged, itemCount, (s) => s.score.values.judge_score);
        metrics.push({ name: 'judge_score', label: 'Mean judge score (judged items)', value: mean.value, n: mean.n });
      }
      return metrics;
    },
  };
}

export const customOfflineAdapter: OfflineScoringAdapter<CustomItemData> = {
  benchmarkId: 'custom',
  parseRow(row, location) {
    const r = row as Record<string, unknown> | null;
    if (!r || typeof r !== 'object' || (typeof r.id !== 'string' && typeof r.id !== 'number')) throw new DatasetError("missing field 'id'", location);
    if (typeof r.response !== 'string') throw new DatasetError("missing field 'response' (a string)", location);
    return { itemId: String(r.id), response: r.response };
  },
  formatRow(item, _response, score) {
    return { id: item.id, passed: score.passed, explanation: score.explanation.map((e) => e.detail) };
  },
};
