/**
 * Which scorer serves which benchmark, inside the worker process. Scorers are created lazily, once per
 * (benchmark, construction options), because some hold interpreters or loaded models (Punkt, Pyodide).
 */
import type { BenchmarkScorer } from '../core/benchmarks/types';
import { CustomScorer } from '../core/benchmarks/custom/scorer';
import { ScoringError } from '../core/errors';
import { HumanevalScorer, type HumanevalScorerOptions } from '../core/benchmarks/humaneval';
import { IfevalScorer } from '../core/benchmarks/ifeval';
import { Gsm8kScorer } from '../core/benchmarks/gsm8k/scorer';

type ScorerFactory = (options: Record<string, unknown>) => BenchmarkScorer;

const factories: Record<string, ScorerFactory> = {
  custom: () => new CustomScorer(),
  // The cache dir comes from the host through EVALBENCH_CACHE_DIR (see ScoringWorkerClient).
  ifeval: (o) => new IfevalScorer({ punktDir: o.punktDir as string | undefined, cacheDir: process.env.EVALBENCH_CACHE_DIR }),
  // Executor, interpreter and limits also come with each request; the scorer keeps one executor per setting.
  humaneval: (o) => new HumanevalScorer(o as HumanevalScorerOptions),
  gsm8k: () => new Gsm8kScorer(),
};

export function registeredBenchmarks(): string[] {
  return Object.keys(factories);
}

export class ScorerRegistry {
  private readonly scorers = new Map<string, BenchmarkScorer>();

  get(benchmarkId: string, options: Record<string, unknown> = {}): BenchmarkScorer {
    const key = `${benchmarkId}\u0000${stableJson(options)}`;
    let scorer = this.scorers.get(key);
    if (!scorer) {
      const factory = factories[benchmarkId];
      if (!factory) throw new ScoringError(`no scorer for benchmark '${benchmarkId}' (known: ${registeredBenchmarks().join(', ')})`);
      scorer = factory(options);
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

function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}
