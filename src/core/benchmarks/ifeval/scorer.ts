/**
 * IfevalScorer: runs in the scoring worker. Turns one response into strict and loose verdicts per
 * instruction, with an explanation line for each. Punkt parameters are loaded once per folder.
 */
import { CancelledError } from '../../errors';
import { defaultCacheDir } from '../../cacheDir';
import type { BenchmarkItem, BenchmarkScorer, ExplanationLine, ItemScore, ScoreRequest } from '../types';
import type { IfevalItemData } from './dataset';
import { evaluateResponse, type IfevalVerdict } from './evaluate';
import { hasThinkBlock, stripReasoning } from './reasoning';
import { setLanguageModelCacheDir } from './text/langdetect';
import { loadPunktEnglishTokenizer } from './text/punktData';
import type { PunktSentenceTokenizer } from './text/punkt';
import { pyStrip } from './text/pythonStr';
import { createCheckContext } from './textAnalysis';

export interface IfevalScorerOptions {
  /** NLTK punkt_tab/english folder (or punkt_tab, nltk_data, punkt_tab.zip); else the bundled copy. */
  punktDir?: string;
  /** Cache root (updated data, an unpacked punkt_tab.zip). Default: $EVALBENCH_CACHE_DIR or ~/.cache/evalbench. */
  cacheDir?: string;
}

/** What ItemScore.details holds for IFEval. */
export interface IfevalScoreDetails {
  instruction_id_list: string[];
  strict: boolean[];
  loose: boolean[];
  /** Characters of <think>…</think> removed before scoring (stripReasoning). */
  reasoningRemoved?: number;
}

export class IfevalScorer implements BenchmarkScorer<IfevalItemData> {
  readonly benchmarkId = 'ifeval';
  private readonly tokenizers = new Map<string, Promise<PunktSentenceTokenizer>>();

  constructor(private readonly options: IfevalScorerOptions = {}) {
    // The saved language model lives in the same cache folder, whichever process scores (worker or CLI).
    if (options.cacheDir) setLanguageModelCacheDir(options.cacheDir);
  }

  async score(request: ScoreRequest<IfevalItemData>, signal?: AbortSignal): Promise<ItemScore> {
    if (signal?.aborted) throw new CancelledError();
    const tokenizer = await this.tokenizer(request.options);
    return scoreIfeval(request.item, request.response, tokenizer, {
      truncated: request.truncated === true,
      stripReasoning: request.options?.stripReasoning === true,
    });
  }

  private tokenizer(options: Record<string, unknown> | undefined): Promise<PunktSentenceTokenizer> {
    const punktDir = typeof options?.punktDir === 'string' ? options.punktDir : this.options.punktDir;
    const cacheDir = (typeof options?.cacheDir === 'string' ? options.cacheDir : this.options.cacheDir) ?? defaultCacheDir();
    const key = `${punktDir ?? ''}\u0000${cacheDir}`;
    let pending = this.tokenizers.get(key);
    if (!pending) {
      pending = loadPunktEnglishTokenizer({ path: punktDir, cacheDir });
      // A failed load (offline, bad folder) is not remembered, so the next score can retry.
      pending.catch(() => this.tokenizers.delete(key));
      this.tokenizers.set(key, pending);
    }
    return pending;
  }
}

export interface ScoreIfevalOptions {
  truncated?: boolean;
  stripReasoning?: boolean;
}

/** Pure scoring of one response (used by the worker scorer, the offline adapter's tests and the bench). */
export function scoreIfeval(
  item: BenchmarkItem<IfevalItemData>,
  rawResponse: string,
  tokenizer: PunktSentenceTokenizer,
  options: ScoreIfevalOptions = {},
): ItemScore {
  let response = rawResponse;
  let reasoningRemoved: number | undefined;
  if (options.stripReasoning) {
    const stripped = stripReasoning(rawResponse);
    response = stripped.text;
    reasoningRemoved = stripped.removed;
  }
  const verdict = evaluateResponse(item.data, response, createCheckContext(tokenizer));
  return toItemScore(item.data, verdict, {
    truncated: options.truncated === true,
    thinkLeft: hasThinkBlock(response),
    empty: pyStrip(response) === '',
    reasoningRemoved,
  });
}

function toItemScore(
  data: IfevalItemData,
  verdict: IfevalVerdict,
  facts: { truncated: boolean; thinkLeft: boolean; empty: boolean; reasoningRemoved?: number },
): ItemScore {
  const strict = verdict.strict.map((v) => v.passed);
  const loose = verdict.loose.map((v) => v.passed);
  const passed = strict.every(Boolean);
  const looseAll = loose.every(Boolean);
  let failureCause: string | undefined;
  if (!passed) failureCause = facts.truncated ? 'truncated' : facts.thinkLeft ? 'think_block' : facts.empty ? 'empty' : undefined;
  const note = facts.truncated ? ' (the reply was cut at max_tokens)' : facts.thinkLeft ? ' (a <think> block is still in the reply)' : '';
  const lines = (mode: 'strict' | 'loose', verdicts: IfevalVerdict['strict']): ExplanationLine[] =>
    verdicts.map((v, i) => ({ check: data.instruction_id_list[i], passed: v.passed, detail: v.passed ? v.detail : v.detail + note, mode }));
  const details: IfevalScoreDetails = { instruction_id_list: data.instruction_id_list, strict, loose };
  if (facts.reasoningRemoved !== undefined) details.reasoningRemoved = facts.reasoningRemoved;
  return {
    passed,
    score: passed ? 1 : 0,
    values: {
      prompt_strict: passed ? 1 : 0,
      prompt_loose: looseAll ? 1 : 0,
      inst_strict_passed: strict.filter(Boolean).length,
      inst_loose_passed: loose.filter(Boolean).length,
      inst_total: strict.length,
    },
    failureCause,
    explanation: [...lines('strict', verdict.strict), ...lines('loose', verdict.loose)],
    details,
  };
}

/** The score of a sample whose reply never came: every instruction failed, with the reason. */
export function ifevalFailureScore(item: BenchmarkItem<IfevalItemData>, reason: string, cause: string): ItemScore {
  const ids = item.data.instruction_id_list;
  const none = ids.map(() => false);
  const details: IfevalScoreDetails = { instruction_id_list: ids, strict: none, loose: [...none] };
  return {
    passed: false,
    score: 0,
    values: { prompt_strict: 0, prompt_loose: 0, inst_strict_passed: 0, inst_loose_passed: 0, inst_total: ids.length },
    failureCause: cause,
    explanation: (['strict', 'loose'] as const).flatMap((mode) => ids.map((check) => ({ check, passed: false, detail: `no reply: ${reason}`, mode }))),
    details,
  };
}
