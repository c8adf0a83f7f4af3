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
      return [{ name: 'accuracy', label: 'Accuracy', value: accuracy.value, n: accuracy.n }];
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
