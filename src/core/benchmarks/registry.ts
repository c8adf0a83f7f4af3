/** Host-side benchmark definitions by id. The worker has its own registry of scorers (src/core/scoring/scorerRegistry.ts). */
import { ConfigError } from '../errors';
import { gsm8kBenchmark, gsm8kOfflineAdapter } from './gsm8k';
import { customBenchmark, customOfflineAdapter, type CustomScorerKind } from './custom';
import { humanevalBenchmark, humanevalOfflineAdapter } from './humaneval';
import { ifevalBenchmark, ifevalOfflineAdapter } from './ifeval';
import type { BenchmarkDefinition, OfflineScoringAdapter } from './types';

type DefinitionFactory = (options: Record<string, unknown>) => BenchmarkDefinition;

const definitions: Record<string, DefinitionFactory> = {
  custom: (options) => customBenchmark((options.scorer as CustomScorerKind | undefined) ?? 'exact') as BenchmarkDefinition,
  ifeval: () => ifevalBenchmark as BenchmarkDefinition,
  humaneval: () => humanevalBenchmark as BenchmarkDefinition,
  gsm8k: (options) => gsm8kBenchmark({ shots: options.shots as number | undefined }) as BenchmarkDefinition,
};

export function knownBenchmarks(): string[] {
  return Object.keys(definitions);
}

export function getBenchmarkDefinition(id: string, options: Record<string, unknown> = {}): BenchmarkDefinition {
  const factory = definitions[id];
  if (!factory) throw new ConfigError(`unknown benchmark '${id}': use one of ${knownBenchmarks().join(', ')}`);
  return factory(options);
}

/**
 * Parse the CLI's benchmark spec: "ifeval", "humaneval", "custom:path.jsonl", "ifeval:path.jsonl"
 * (a local dataset file instead of the bundled copy).
 */
export function parseBenchmarkSpec(spec: string): { id: string; datasetPath?: string } {
  const colon = spec.indexOf(':');
  if (colon < 0) return { id: spec.trim() };
  return { id: spec.slice(0, colon).trim(), datasetPath: spec.slice(colon + 1).trim() || undefined };
}

const offlineAdapters: Record<string, OfflineScoringAdapter> = {
  custom: customOfflineAdapter as OfflineScoringAdapter,
  ifeval: ifevalOfflineAdapter as OfflineScoringAdapter,
  humaneval: humanevalOfflineAdapter as OfflineScoringAdapter,
  gsm8k: gsm8kOfflineAdapter as OfflineScoringAdapter,
};

/** How `evalbench score --responses` reads and prints rows for a benchmark. */
export function getOfflineAdapter(id: string): OfflineScoringAdapter {
  const adapter = offlineAdapters[id];
  if (!adapter) throw new ConfigError(`benchmark '${id}' cannot score a responses file (known: ${Object.keys(offlineAdapters).join(', ')})`);
  return adapter;
}
