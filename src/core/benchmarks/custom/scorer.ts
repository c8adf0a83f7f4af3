/** Scores custom JSONL items: exact, contains, regex, json-valid. Pure; runs in the worker. */
import type { BenchmarkScorer, ItemScore, ScoreRequest } from '../types';
import type { CustomItemData } from './dataset';
import { ScoringError } from '../../errors';

export class CustomScorer implements BenchmarkScorer<CustomItemData> {
  readonly benchmarkId = 'custom';

  async score(request: ScoreRequest<CustomItemData>): Promise<ItemScore> {
    const parsing = request.options?.parsingRegexes as string[] | undefined;
    if (parsing?.length && request.item.data.scorer !== 'judge') return scoreParsed(request.item.data, request.response, parsing, request.truncated === true);
    return scoreCustom(request.item.data, request.response, request.truncated === true);
  }
}

/**
 * Llama Stack's regex_parser: the answer is the first capture group (else the match) of the first
 * parsing regex that matches the reply, then checked as the row's scorer checks a whole reply.
 */
function scoreParsed(data: CustomItemData, response: string, regexes: string[], truncated: boolean): ItemScore {
  for (const pattern of regexes) {
    const match = new RegExp(pattern, 'u').exec(response);
    if (!match) continue;
    const answer = match[1] ?? match[0];
    const score = scoreCustom(data, answer, truncated);
    return { ...score, explanation: [{ check: 'regex_parser', passed: true, detail: `/${pattern}/ read ${quote(answer)}` }, ...score.explanation] };
  }
  const detail = `no match for ${regexes.map((r) => `/${r}/`).join(' or ')} in the reply${truncated ? ' (the reply was cut at max_tokens)' : ''}`;
  return { passed: false, score: 0, values: { correct: 0 }, failureCause: 'no_answer_found', explanation: [{ check: 'regex_parser', passed: false, detail }] };
}

export function scoreCustom(data: CustomItemData, response: string, truncated = false): ItemScore {
  const { passed, detail } = check(data, response);
  let failureCause: string | undefined;
  if (!passed) failureCause = response.trim() === '' ? 'empty' : truncated ? 'truncated' : 'wrong_answer';
  return {
    passed,
    score: passed ? 1 : 0,
    values: { correct: passed ? 1 : 0 },
    failureCause,
    explanation: [{ check: data.scorer, passed, detail: truncated && !passed ? `${detail} (the reply was cut at max_tokens)` : detail }],
  };
}

function check(data: CustomItemData, response: string): { passed: boolean; detail: string } {
  const fold = (s: string) => (data.ignoreCase ? s.toLowerCase() : s);
  const answer = response.trim();
  switch (data.scorer) {
    case 'exact': {
      const hit = data.expected.find((e) => fold(e.trim()) === fold(answer));
      return hit !== undefined
        ? { passed: true, detail: `reply equals ${quote(hit)}` }
        : { passed: false, detail: `expected ${alternatives(data.expected)}, got ${quote(answer)}` };
    }
    case 'contains': {
      const hit = data.expected.find((e) => fold(response).includes(fold(e)));
      return hit !== undefined
        ? { passed: true, detail: `reply contains ${quote(hit)}` }
        : { passed: false, detail: `reply does not contain ${alternatives(data.expected)}` };
    }
    case 'regex': {
      for (const pattern of data.expected) {
        const match = new RegExp(pattern, data.ignoreCase ? 'iu' : 'u').exec(response);
        if (match) return { passed: true, detail: `/${pattern}/ matched ${quote(match[0])}` };
      }
      return { passed: false, detail: `no match for ${data.expected.map((p) => `/${p}/`).join(' or ')}` };
    }
    case 'judge':
      // Judge rows are scored on the host (src/core/judge/judgeScoring.ts); reaching the worker means no judge was wired.
      throw new ScoringError("this row's scorer is 'judge': it is scored by the run's LLM judge, which this scoring path does not have");
    case 'json-valid': {
      const body = stripFence(answer);
      try {
        JSON.parse(body);
        return { passed: true, detail: 'reply is valid JSON' };
      } catch (error) {
        return { passed: false, detail: `reply is not valid JSON: ${(error as Error).message}` };
      }
    }
  }
}

/** Models often wrap JSON in a markdown fence; the fence is not part of the answer. */
function stripFence(text: string): string {
  const fenced = /^```[a-zA-Z]*\n([\s\S]*?)\n?```$/.exec(text);
  return fenced ? fenced[1] : text;
}

function quote(text: string, max = 60): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

function alternatives(values: string[]): string {
  return values.length === 1 ? quote(values[0]) : `one of ${values.map((v) => quote(v)).join(', ')}`;
}
