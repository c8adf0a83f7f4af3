/**
 * Scores one GSM8K reply both ways and says what was read from where. The headline (`passed`) is the
 * strict extraction; the flexible one is reported beside it, as lm-evaluation-harness reports
 * `strict-match` and `flexible-extract`. No answer found is a wrong answer (the model did not give
 * one), not a scoring error: the scorer worked.
 */
import type { BenchmarkScorer, ExplanationLine, ItemScore, ScoreRequest } from '../types';
import { DEFAULT_ANSWER_MARKERS, extractFlexible, extractStrict, sameAnswer, type ExtractedAnswer } from './answer';
import type { Gsm8kItemData } from './dataset';

export interface Gsm8kScoreDetails {
  reference: string;
  strict: string | null;
  flexible: string | null;
}

export class Gsm8kScorer implements BenchmarkScorer<Gsm8kItemData> {
  readonly benchmarkId = 'gsm8k';

  async score(request: ScoreRequest<Gsm8kItemData>): Promise<ItemScore> {
    const markers = Array.isArray(request.options?.answerMarkers) ? (request.options!.answerMarkers as string[]) : undefined;
    return scoreGsm8k(request.item.data.answer, request.response, { truncated: request.truncated === true, markers });
  }
}

export function scoreGsm8k(reference: string, reply: string, options: { truncated?: boolean; markers?: readonly string[] } = {}): ItemScore {
  const markers = options.markers ?? DEFAULT_ANSWER_MARKERS;
  const strict = extractStrict(reply, markers);
  const flexible = extractFlexible(reply);
  const strictOk = strict !== undefined && sameAnswer(strict.normalized, reference);
  const flexibleOk = flexible !== undefined && sameAnswer(flexible.normalized, reference);
  const explanation: ExplanationLine[] = [
    {
      check: 'strict',
      mode: 'strict',
      passed: strictOk,
      detail: strict
        ? `read ${describe(strict)} after "${strict.marker}"; reference ${reference}`
        : `no number after ${markers.map((m) => `"${m}"`).join(' or ')} in the reply; reference ${reference}`,
    },
    {
      check: 'flexible',
      mode: 'flexible',
      passed: flexibleOk,
      detail: flexible ? `last number in the reply is ${describe(flexible)}; reference ${reference}` : `the reply has no number; reference ${reference}`,
    },
  ];
  let failureCause: string | undefined;
  if (!strictOk) {
    if (reply.trim() === '') failureCause = 'empty';
    else if (options.truncated) failureCause = 'truncated';
    else failureCause = strict ? 'wrong_answer' : 'no_answer_found';
  }
  if (!strictOk && options.truncated) explanation[0].detail += ' (the reply was cut at max_tokens)';
  const details: Gsm8kScoreDetails = { reference, strict: strict?.normalized ?? null, flexible: flexible?.normalized ?? null };
  return {
    passed: strictOk,
    score: strictOk ? 1 : 0,
    values: { strict: strictOk ? 1 : 0, flexible: flexibleOk ? 1 : 0 },
    failureCause,
    explanation,
    details,
  };
}

function describe(answer: ExtractedAnswer): string {
  const shown = answer.raw === answer.normalized ? answer.normalized : `${JSON.stringify(answer.raw)} = ${answer.normalized}`;
  return `${shown} (line ${answer.line}, character ${answer.index + 1})`;
}
