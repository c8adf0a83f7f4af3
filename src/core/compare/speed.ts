/** How fast a run was: latency percentiles, decode speed, wall time. */
import type { SampleRecord } from '../storage/types';
import { quantileSorted } from '../stats/quantile';

export interface SpeedStats {
  /** Samples with a recorded latency. */
  samples: number;
  latencyMs: { p50: number; p90: number; p99: number } | null;
  /** Time to first token, when the run streamed. */
  ttftMs: { p50: number; p90: number } | null;
  /**
   * Generation speed of one request: Σ generated tokens / Σ generation time as the server measured it
   * (llama.cpp `timings`, Ollama `eval_duration`) when every timed sample has it, else Σ tokens / Σ
   * latency — which includes prompt processing and any time queued for a slot.
   */
  tokensPerSecond: number | null;
  /** Where tokensPerSecond comes from. */
  tokensPerSecondSource: 'server timings' | 'request latency' | null;
  /** Completion tokens per second of wall time: throughput of the whole run, concurrency included. */
  throughputTokensPerSecond: number | null;
  completionTokens: number;
  /**
   * Time with at least one request in flight: the union of the samples' [start, end] intervals. A
   * resumed run's pause between sessions (hours, perhaps) is not counted, so its throughput is that
   * of the time it actually ran.
   */
  wallTimeMs: number | null;
}

export function speedStats(samples: SampleRecord[]): SpeedStats {
  const latencies: number[] = [];
  const ttfts: number[] = [];
  let tokens = 0;
  let tokenLatencyMs = 0;
  let serverTokens = 0;
  let serverMs = 0;
  let withoutServerTimings = 0;
  const intervals: Array<[number, number]> = [];
  for (const s of samples) {
    if (typeof s.latencyMs === 'number' && Number.isFinite(s.latencyMs)) {
      latencies.push(s.latencyMs);
      if (typeof s.completionTokens === 'number') {
        tokens += s.completionTokens;
        tokenLatencyMs += s.latencyMs;
        const t = s.serverTimings;
        if (typeof t?.generatedTokens === 'number' && typeof t.generationMs === 'number') {
          serverTokens += t.generatedTokens;
          serverMs += t.generationMs;
        } else withoutServerTimings++;
      }
    }
    if (typeof s.ttftMs === 'number' && Number.isFinite(s.ttftMs)) ttfts.push(s.ttftMs);
    const start = Date.parse(s.startedAt);
    const end = Date.parse(s.finishedAt);
    if (Number.isFinite(start) && Number.isFinite(end) && end >= start) intervals.push([start, end]);
  }
  const lat = Float64Array.from(latencies).sort();
  const tt = Float64Array.from(ttfts).sort();
  const wallTimeMs = intervals.length > 0 ? busyTimeMs(intervals) : null;
  return {
    samples: lat.length,
    latencyMs: lat.length > 0 ? { p50: quantileSorted(lat, 0.5), p90: quantileSorted(lat, 0.9), p99: quantileSorted(lat, 0.99) } : null,
    ttftMs: tt.length > 0 ? { p50: quantileSorted(tt, 0.5), p90: quantileSorted(tt, 0.9) } : null,
    ...requestSpeed(tokens, tokenLatencyMs, withoutServerTimings === 0 && serverMs > 0 ? { tokens: serverTokens, ms: serverMs } : undefined),
    throughputTokensPerSecond: wallTimeMs && wallTimeMs > 0 && tokens > 0 ? tokens / (wallTimeMs / 1000) : null,
    completionTokens: tokens,
    wallTimeMs,
  };
}

function requestSpeed(tokens: number, latencyMs: number, server?: { tokens: number; ms: number }): Pick<SpeedStats, 'tokensPerSecond' | 'tokensPerSecondSource'> {
  if (server) return { tokensPerSecond: server.tokens / (server.ms / 1000), tokensPerSecondSource: 'server timings' };
  if (latencyMs > 0) return { tokensPerSecond: tokens / (latencyMs / 1000), tokensPerSecondSource: 'request latency' };
  return { tokensPerSecond: null, tokensPerSecondSource: null };
}

/** Length of the union of [start, end] intervals. */
function busyTimeMs(intervals: Array<[number, number]>): number {
  intervals.sort((x, y) => x[0] - y[0]);
  let total = 0;
  let [from, to] = intervals[0];
  for (const [start, end] of intervals) {
    if (start > to) {
      total += to - from;
      from = start;
    }
    to = Math.max(to, end);
  }
  return total + (to - from);
}
