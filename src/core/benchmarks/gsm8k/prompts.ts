/**
 * How GSM8K is asked, after lm-evaluation-harness's `gsm8k_cot` / `gsm8k_cot_zeroshot` tasks:
 *  - zero-shot: chat gets an instruction to reason step by step and end with "The answer is N.";
 *    completions get "Q: …\nA: Let's think step by step." as the harness does.
 *  - few-shot chain of thought: the first `shots` problems of GSM8K's own train.jsonl (a fixed,
 *    documented choice, like the harness's `first_n` sampler), their worked answers rewritten by
 *    `exemplarAnswer` to plain prose ending in "The answer is N.". Chat gets them as earlier
 *    user/assistant turns; completions as "Q: …\nA: …" blocks.
 */
import type { PromptMode } from '../../endpoint/types';
import type { PromptPayload } from '../types';
import type { Gsm8kProblem } from './dataset';

export const ZERO_SHOT_INSTRUCTION =
  'Solve the following math word problem. Reason step by step, then end your reply with a line of the form "The answer is N." where N is the final number only.';

/** Completions stop at the next exemplar's question, as the harness's `until: ["Q:", "</s>", "<|im_end|>"]`. */
export const COMPLETION_STOPS = ['Q:', '</s>', '<|im_end|>'];

/** The harness's gsm8k_cot uses 8 exemplars. */
export const DEFAULT_SHOTS = 8;

export interface Exemplar {
  question: string;
  /** The rewritten worked answer, ending in "The answer is N.". */
  answer: string;
}

/**
 * Rewrite a GSM8K worked solution as a chain-of-thought answer: drop the "<<48/2=24>>" calculator notes,
 * join the steps, and replace the final "#### N" with "The answer is N.".
 */
export function exemplarAnswer(problem: Pick<Gsm8kProblem, 'solution' | 'answer'>): string {
  const body = problem.solution.slice(0, problem.solution.lastIndexOf('####'));
  const steps = body
    .replace(/<<[^>]*>>/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => (/[.!?]$/.test(line) ? line : `${line}.`));
  return [...steps, `The answer is ${problem.answer}.`].join(' ');
}

export function buildExemplars(train: Gsm8kProblem[], shots: number): Exemplar[] {
  return train.slice(0, shots).map((p) => ({ question: p.question, answer: exemplarAnswer(p) }));
}

export function gsm8kPrompt(question: string, mode: PromptMode, exemplars: Exemplar[]): PromptPayload {
  if (mode === 'chat') {
    const messages: NonNullable<PromptPayload['messages']> = [];
    exemplars.forEach((e, i) => {
      messages.push({ role: 'user', content: i === 0 ? `${ZERO_SHOT_INSTRUCTION}\n\nQuestion: ${e.question}` : `Question: ${e.question}` });
      messages.push({ role: 'assistant', content: e.answer });
    });
    const first = messages.length === 0;
    messages.push({ role: 'user', content: first ? `${ZERO_SHOT_INSTRUCTION}\n\nQuestion: ${question}` : `Question: ${question}` });
    return { messages };
  }
  if (exemplars.length === 0) return { prompt: `Q: ${question}\nA: Let's think step by step.`, stop: [...COMPLETION_STOPS] };
  const shots = exemplars.map((e) => `Q: ${e.question}\nA: ${e.answer}\n\n`).join('');
  return { prompt: `${shots}Q: ${question}\nA:`, stop: [...COMPLETION_STOPS] };
}
