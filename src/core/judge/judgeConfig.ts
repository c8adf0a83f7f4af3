/**
 * What defines an LLM judge: the endpoint it runs on (any OpenAI-compatible server, usually a bigger
 * local model), its own concurrency, its sampling, the prompt template and how its reply is read.
 * All of it is stored with the run (never the API key), so a verdict can be traced to its judge.
 */
import type { SamplingSettings, ServerFacts } from '../endpoint/types';
import { ConfigError } from '../errors';

/** How a judge's reply is turned into a score. */
export type JudgeScale = 'pass-fail' | 'letter' | '1-10';
export const JUDGE_SCALES: readonly JudgeScale[] = ['pass-fail', 'letter', '1-10'];

export interface JudgeConfig {
  baseUrl: string;
  model: string;
  /** Judge requests in flight at once, over every run sharing this judge (default 2). */
  concurrency: number;
  sampling: SamplingSettings;
  /** With {{prompt}}, {{response}}, {{reference}}, {{rubric}} placeholders. */
  template: string;
  scale: JudgeScale;
  /**
   * Regexes with one capture group for the grade, tried in order; the last match in the reply wins
   * (judges reason first, then grade). Default: the scale's own.
   */
  scoreRegexes: string[];
  /** The lowest score (0–1) that passes: letter C = 0.5, 1-10: 7 = 0.7 by default. */
  passAt: number;
  /** What the judge's server said about itself when the run started. */
  serverFacts?: ServerFacts;
}

export const DEFAULT_JUDGE_SAMPLING: SamplingSettings = { temperature: 0, max_tokens: 512 };

export const DEFAULT_POINTWISE_TEMPLATE = `You are grading an AI assistant's answer. Judge only whether it satisfies the grading criteria; ignore style unless the criteria mention it.

[Question]
{{prompt}}

[Reference answer]
{{reference}}

[Grading criteria]
{{rubric}}

[Assistant's answer]
{{response}}

First explain your judgement in a few sentences. Then, on the last line, write the verdict exactly in this form: {{verdict_format}}`;

export const VERDICT_FORMATS: Record<JudgeScale, string> = {
  'pass-fail': '"Verdict: PASS" or "Verdict: FAIL"',
  letter: '"Grade: X" where X is one letter from A (excellent) to F (fails the criteria)',
  '1-10': '"Score: N" where N is a whole number from 1 (useless) to 10 (perfect)',
};

export const DEFAULT_SCORE_REGEXES: Record<JudgeScale, string[]> = {
  'pass-fail': [String.raw`verdict\W{0,3}\s*\**\s*(PASS|FAIL)\b`, String.raw`\b(PASS|FAIL)\b`],
  letter: [String.raw`grade\W{0,3}\s*\**\s*([A-F])(?![A-Za-z])`],
  '1-10': [String.raw`score\W{0,3}\s*\**\s*(10|[1-9])(?:\s*/\s*10)?(?!\d)`],
};

export const DEFAULT_PASS_AT: Record<JudgeScale, number> = { 'pass-fail': 1, letter: 0.5, '1-10': 0.7 };

/** What differs between a pointwise judge (one reply, a grade) and a pairwise one (two replies, a preference). */
export interface JudgeKind {
  defaultTemplate: string;
  /** Placeholders the template must contain. */
  required: string[];
  /** Default grade regexes, used when the user gives none (pointwise: the scale's). */
  defaultRegexes?: string[];
}

export const POINTWISE: JudgeKind = { defaultTemplate: DEFAULT_POINTWISE_TEMPLATE, required: ['response'] };

/** Fill in defaults and check a judge config; errors say which setting is wrong. */
export function resolveJudgeConfig(input: Partial<JudgeConfig> & { baseUrl?: string; model?: string }, kind: JudgeKind = POINTWISE): JudgeConfig {
  if (!input.baseUrl || !/^https?:\/\//.test(input.baseUrl)) throw new ConfigError(`judge: a base URL (http://…) is required, got ${JSON.stringify(input.baseUrl)}`);
  if (!input.model) throw new ConfigError('judge: a judge model is required');
  const scale = input.scale ?? 'pass-fail';
  if (!JUDGE_SCALES.includes(scale)) throw new ConfigError(`judge: scale must be one of ${JUDGE_SCALES.join(', ')}, got '${scale}'`);
  const concurrency = input.concurrency ?? 2;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new ConfigError(`judge: concurrency must be a whole number ≥ 1, got ${concurrency}`);
  const scoreRegexes = input.scoreRegexes?.length ? input.scoreRegexes : (kind.defaultRegexes ?? DEFAULT_SCORE_REGEXES[scale]);
  for (const pattern of scoreRegexes) {
    let compiled: RegExp;
    try {
      compiled = new RegExp(pattern, 'iu');
    } catch (error) {
      throw new ConfigError(`judge: score regex /${pattern}/ is not valid: ${(error as Error).message}`);
    }
    if (new RegExp(`${compiled.source}|`, 'u').exec('')!.length < 2) throw new ConfigError(`judge: score regex /${pattern}/ needs one capture group for the grade`);
  }
  const passAt = input.passAt ?? DEFAULT_PASS_AT[scale];
  if (!(passAt >= 0 && passAt <= 1)) throw new ConfigError(`judge: passAt must be between 0 and 1, got ${passAt}`);
  const template = input.template ?? kind.defaultTemplate;
  for (const name of kind.required) {
    if (!template.includes(`{{${name}}}`)) throw new ConfigError(`judge: the prompt template must contain {{${name}}}`);
  }
  return {
    baseUrl: input.baseUrl,
    model: input.model,
    concurrency,
    sampling: { ...DEFAULT_JUDGE_SAMPLING, ...input.sampling },
    template,
    scale,
    scoreRegexes,
    passAt,
    serverFacts: input.serverFacts,
  };
}
