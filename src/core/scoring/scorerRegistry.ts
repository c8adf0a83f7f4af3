/**
 * Which scorer serves which benchmark. Scorers are created lazily, once per (benchmark, construction
 * options), because some hold interpreters or loaded models (Punkt, Pyodide). The scoring worker holds one
 * registry; the CLI's `score` holds another for the benchmarks it scores in its own process (see
 * inProcessScoring.ts), so both run the same scorers.
 */
import type { BenchmarkScorer } from '../benchmarks/types';
import { CustomScorer } from '../benchmarks/custom/scorer';
import { ScoringError } from '../errors';
import { HumanevalScorer, type HumanevalScorerOptions } from '../benchmarks/humaneval';
import { IfevalScorer } from '../benchmarks/ifeval';
import { Gsm8kScorer } from '../benchmarks/gsm8k/scorer';

export interface ScorerRegistryOptions {
  /** Cache root for scorers' data (Punkt copies…); the worker gets it from the host as EVALBENCH_CACHE_DIR. */
  cacheDir?: string;
}

type ScorerFactory = (options: Record<string, unknown>, registry: ScorerRegistryOptions) => BenchmarkScorer;

const factories: Record<string, ScorerFactory> = {
  custom: () => new CustomScorer(),
  ifeval: (o, r) => new IfevalScorer({ punktDir: o.punktDir as string | undefined, cacheDir: r.cacheDir }),
  // Executor, interpreter and limits also come with each request; the scorer keeps one executor per setting.
  humaneval: (o) => new HumanevalScorer(o as HumanevalScorerOptions),
  gsm8k: () => new Gsm8kScorer(),
};

export function registeredBenchmarks(): string[] {
  return Object.keys(factories);
}

export class ScorerRegistry {
  private readonly scorers = new Map<string, BenchmarkScorer>();

  constructor(private readonly options: ScorerRegistryOptions = {}) {}

  get(benchmarkId: string, options: Record<string, unknown> = {}): BenchmarkScorer {
    const key = `${benchmarkId}\u0000${stableJson(options)}`;
    let scorer = this.scorers.get(key);
    if (!scorer) {
      const factory = factories[benchmarkId];
      if (!factory) throw new ScoringError(`no scorer for benchmark '${benchmarkId}' (known: ${registeredBenchmarks().join(', ')})`);
      scorer = factory(options, this.options);
      this.scorers.set(key, scorer);
    }
    return scorer;
  }

  async disposeAll(): Promise<void> {
    const all = [...this.scorers.values()];
    this.scorers.clear();
    await Promise.allSettled(all.map((s) => s.dispose?.()));
  }
}

/** Options that change how a scorer is built (executor, interpreter, data folders), not per-request flags. */
export function constructionOptions(options: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!options) return {};
  const { stripReasoning: _strip, promptMode: _mode, ...rest } = options;
  return rest;
}

function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}
