/**
 * Before a run: does the benchmark's longest prompt, plus max_tokens, fit the context the server
 * gives one request? Without a tokenizer the prompt's size is an estimate (about 4 characters per
 * token for English text and code with the usual BPE vocabularies), so the warning says "about".
 */
import type { ChatMessage, ServerFacts } from './types';

export const CHARS_PER_TOKEN = 4;

export interface PromptLike {
  id: string;
  prompt: { messages?: ChatMessage[]; prompt?: string };
}

export function estimateTokens(prompt: PromptLike['prompt']): number {
  const text = prompt.messages ? prompt.messages.map((m) => m.content).join('\n') : prompt.prompt ?? '';
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** A warning to show before the run, or undefined when the longest prompt fits (or the context is unknown). */
export function contextFitWarning(facts: ServerFacts, items: readonly PromptLike[], maxTokens: number): string | undefined {
  const context = facts.contextLength;
  if (context === undefined || items.length === 0) return undefined;
  let longest = items[0];
  let longestTokens = -1;
  let over = 0;
  for (const item of items) {
    const tokens = estimateTokens(item.prompt);
    if (tokens > longestTokens) (longest = item), (longestTokens = tokens);
    if (tokens + maxTokens > context) over++;
  }
  if (over === 0) return undefined;
  const consequence = facts.kind === 'ollama'
    ? 'Ollama cuts such prompts silently; EvalBench marks those items context overflow'
    : 'those items will fail with context overflow, or have their answers cut short';
  return (
    `${facts.baseUrl} gives each request a context of ${context} tokens (${facts.contextSource ?? 'as the server reports it'}); ` +
    `the longest prompt (item ${longest.id}) is about ${longestTokens} tokens and max_tokens is ${maxTokens}, ` +
    `so about ${over} of ${items.length} item(s) may not fit: ${consequence}. Give the server a larger context or lower max_tokens.`
  );
}
