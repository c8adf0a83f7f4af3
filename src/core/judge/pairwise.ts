/**
 * Pairwise judging of two runs of the same benchmark (say, a full-precision model and its quantized
 * copy): for every item both answered, the judge sees both replies twice, once in each order. A
 * verdict counts only when it names the same run (or a tie) in both orders, so a judge that prefers a
 * position cannot make either run win; such items are reported as inconsistent. Win/tie/loss is from
 * run B's side, with B's win rate (win = 1, tie = ½, loss = 0 over the consistent items) and a
 * bootstrap confidence interval.
 */
import { bootstrapMean } from '../stats/bootstrap';
import { errorMessage } from '../errors';
import type { JudgeClient } from './judgeClient';
import type { JudgeConfig, JudgeKind } from './judgeConfig';
import { renderTemplate } from './verdict';
import { forEachInLanes } from '../run/boundedLanes';

export const DEFAULT_PAIRWISE_TEMPLATE = `You compare two AI assistants' answers to the same question. Decide which answer serves the user better: correctness first, then completeness and clarity. The order in which the answers are shown says nothing about their quality, and neither does their length.

[Question]
{{prompt}}

[Reference answer, if any]
{{reference}}

[Answer of assistant A]
{{response_a}}
[End of answer A]

[Answer of assistant B]
{{response_b}}
[End of answer B]

Explain your comparison briefly. Then, on the last line, give your verdict exactly as "[[A]]" if A is better, "[[B]]" if B is better, or "[[C]]" if they are equally good.`;

export const PAIRWISE: JudgeKind = { defaultTemplate: DEFAULT_PAIRWISE_TEMPLATE, required: ['response_a', 'response_b'], defaultRegexes: [String.raw`\[\[\s*(A|B|C)\s*\]\]`] };

export interface PairwiseInput {
  itemId: string;
  prompt: string;
  reference?: string;
  /** Run A's and run B's replies. */
  responseA: string;
  responseB: string;
}

/** Which run a judgement prefers. */
export type Preference = 'A' | 'B' | 'tie';
export type PairOutcome = 'win' | 'tie' | 'loss' | 'inconsistent' | 'error';

export interface PairwiseItem {
  itemId: string;
  /** Run A's reply shown first. */
  inOrder: Preference | null;
  /** Run B's reply shown first (already mapped back to runs). */
  swapped: Preference | null;
  /** From run B's side. */
  outcome: PairOutcome;
  detail: string;
}

export interface PairwiseReport {
  runA: string;
  runB: string;
  judge: JudgeConfig;
  createdAt: string;
  counts: Record<PairOutcome, number>;
  /** Items both runs answered and the judge was asked about. */
  judged: number;
  /** B's win rate over consistent verdicts (the denominator is `counts.win + counts.tie + counts.loss`). */
  winRate?: { estimate: number; lo: number; hi: number; n: number };
  items: PairwiseItem[];
}

export async function judgePairwise(
  runs: { runA: string; runB: string },
  inputs: PairwiseInput[],
  client: JudgeClient,
  options: { parallel?: number; signal?: AbortSignal } = {},
): Promise<PairwiseReport> {
  const config = client.config;
  const items: PairwiseItem[] = new Array(inputs.length);
  await forEachInLanes(inputs, options.parallel ?? config.concurrency, async (input, index) => {
    items[index] = await judgeItem(input, client, options.signal);
  }, { signal: options.signal });
  // Cancelled part-way: no report over some of the items.
  options.signal?.throwIfAborted();
  const counts: Record<PairOutcome, number> = { win: 0, tie: 0, loss: 0, inconsistent: 0, error: 0 };
  for (const item of items) counts[item.outcome]++;
  const values = items.filter((i) => i.outcome === 'win' || i.outcome === 'tie' || i.outcome === 'loss').map((i) => (i.outcome === 'win' ? 1 : i.outcome === 'tie' ? 0.5 : 0));
  const interval = values.length > 0 ? bootstrapMean(values) : undefined;
  return {
    runA: runs.runA,
    runB: runs.runB,
    judge: config,
    createdAt: new Date().toISOString(),
    counts,
    judged: items.length,
    winRate: interval ? { estimate: interval.estimate, lo: interval.lo, hi: interval.hi, n: values.length } : undefined,
    items,
  };
}

async function judgeItem(input: PairwiseInput, client: JudgeClient, signal?: AbortSignal): Promise<PairwiseItem> {
  const first = await ask(client, input, input.responseA, input.responseB, signal);
  const second = await ask(client, input, input.responseB, input.responseA, signal);
  const inOrder = typeof first === 'string' ? null : first.position === 'C' ? 'tie' : first.position === 'A' ? 'A' : 'B';
  // Swapped: position A showed run B's reply.
  const swapped = typeof second === 'string' ? null : second.position === 'C' ? 'tie' : second.position === 'A' ? 'B' : 'A';
  const base = { itemId: input.itemId, inOrder, swapped } as const;
  if (inOrder === null || swapped === null) {
    const why = [typeof first === 'string' ? `in order: ${first}` : '', typeof second === 'string' ? `swapped: ${second}` : ''].filter(Boolean).join('; ');
    return { ...base, outcome: 'error', detail: `no verdict (${why})` };
  }
  if (inOrder !== swapped) {
    return { ...base, outcome: 'inconsistent', detail: `the judge preferred ${describe(inOrder)} with A's reply first and ${describe(swapped)} with B's reply first: position bias, not counted` };
  }
  const outcome: PairOutcome = inOrder === 'tie' ? 'tie' : inOrder === 'B' ? 'win' : 'loss';
  return { ...base, outcome, detail: `the judge preferred ${describe(inOrder)} in both orders` };
}

async function ask(client: JudgeClient, input: PairwiseInput, shownA: string, shownB: string, signal?: AbortSignal): Promise<{ position: 'A' | 'B' | 'C' } | string> {
  const config = client.config;
  const values = { prompt: input.prompt, reference: input.reference ?? '(none)', response_a: shownA, response_b: shownB };
  let text: string;
  try {
    text = (await client.ask(renderTemplate(config.template, values), { template: config.template, inputs: values }, signal)).text;
  } catch (error) {
    if (signal?.aborted) throw error;
    return `the judge did not answer: ${errorMessage(error)}`;
  }
  for (const pattern of config.scoreRegexes) {
    const matches = [...text.matchAll(new RegExp(pattern, 'giu'))];
    const grade = matches.at(-1)?.[1]?.trim().toUpperCase();
    if (grade === 'A' || grade === 'B' || grade === 'C') return { position: grade };
  }
  const flat = text.replace(/\s+/g, ' ').trim();
  return `no [[A]]/[[B]]/[[C]] verdict in the reply ${JSON.stringify(flat.length > 120 ? `…${flat.slice(-120)}` : flat)}`;
}

function describe(preference: Preference): string {
  return preference === 'tie' ? 'a tie' : `run ${preference}`;
}
