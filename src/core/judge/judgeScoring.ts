/**
 * The host-side scorer for custom JSONL rows with `"scorer": "judge"`: a ScoringService that asks the
 * run's judge for those rows and hands every other request to the scoring worker (which never talks to
 * model servers). A judge that fails (after the ModelClient's retries) or answers without a readable
 * grade throws a ScoringError, which the run stores as a scoring error: never a pass, never a wrong answer.
 */
import type { ItemScore, ScoreRequest } from '../benchmarks/types';
import type { CustomItemData } from '../benchmarks/custom/dataset';
import { ScoringError, errorMessage } from '../errors';
import type { ScoringService } from '../scoring/scoringWorkerClient';
import { JudgeClient, type JudgeClientOptions } from './judgeClient';
import { VERDICT_FORMATS, type JudgeConfig } from './judgeConfig';
import { parseVerdict, renderTemplate } from './verdict';
import { stableJson } from './judgeCache';

/** What a judged sample keeps in `score.details.judge`. */
export interface JudgeRecord {
  model: string;
  baseUrl: string;
  scale: string;
  grade: string;
  score: number;
  reply: string;
  cached: boolean;
  latencyMs?: number;
  attempts?: number;
  completionTokens?: number;
}

export class JudgeScoring implements ScoringService {
  private readonly clients = new Map<string, JudgeClient>();

  constructor(private readonly inner: ScoringService, private readonly options: JudgeClientOptions = {}) {}

  async score(request: ScoreRequest, signal?: AbortSignal): Promise<ItemScore> {
    if (!isJudgeRequest(request)) return this.inner.score(request, signal);
    const config = request.options?.judge as JudgeConfig | undefined;
    if (!config) throw new ScoringError(`item ${request.item.id} asks for the judge scorer, but the run has no judge: give --judge-base-url and --judge-model`);
    return this.judge(request.item.id, request.item.data as CustomItemData, request.response, config, signal);
  }

  /** One client per judge (endpoint, model, sampling, concurrency), shared by every run of this service. */
  clientFor(config: JudgeConfig): JudgeClient {
    const key = stableJson({ baseUrl: config.baseUrl, model: config.model, sampling: config.sampling, concurrency: config.concurrency });
    let client = this.clients.get(key);
    if (!client) {
      client = new JudgeClient(config, this.options);
      this.clients.set(key, client);
    }
    return client;
  }

  async dispose(): Promise<void> {
    this.clients.clear();
    await this.inner.dispose();
  }

  private async judge(itemId: string, data: CustomItemData, response: string, config: JudgeConfig, signal?: AbortSignal): Promise<ItemScore> {
    const inputs = {
      prompt: data.prompt ?? (data.messages ?? []).map((m) => `${m.role}: ${m.content}`).join('\n\n'),
      response,
      reference: data.reference ?? (data.expected.length ? data.expected.join('\n') : '(none given)'),
      rubric: data.rubric ?? 'The answer is correct and agrees with the reference answer.',
    };
    const prompt = renderTemplate(config.template, { ...inputs, verdict_format: VERDICT_FORMATS[config.scale] });
    let reply;
    try {
      reply = await this.clientFor(config).ask(prompt, { template: config.template, inputs: { ...inputs, scale: config.scale } }, signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new ScoringError(`the judge ${config.model} at ${config.baseUrl} did not answer for item ${itemId}: ${errorMessage(error)}`);
    }
    const verdict = parseVerdict(reply.text, config.scale, config.scoreRegexes, config.passAt);
    if (!verdict) {
      throw new ScoringError(
        `the judge's reply for item ${itemId} has no ${config.scale} grade readable by ${config.scoreRegexes.map((r) => `/${r}/`).join(' or ')}: ${excerpt(reply.text)}`,
      );
    }
    const record: JudgeRecord = {
      model: config.model,
      baseUrl: config.baseUrl,
      scale: config.scale,
      grade: verdict.grade,
      score: verdict.score,
      reply: reply.text,
      cached: reply.cached,
      latencyMs: reply.latencyMs,
      attempts: reply.attempts,
      completionTokens: reply.completionTokens,
    };
    const detail = `judge ${config.model} graded ${verdict.grade} (${config.scale}, score ${verdict.score.toFixed(2)}, passes at ${config.passAt})${reply.cached ? ' [cached]' : ''}: ${excerpt(reply.text)}`;
    return {
      passed: verdict.passed,
      score: verdict.passed ? 1 : 0,
      values: { correct: verdict.passed ? 1 : 0, judge_score: verdict.score },
      failureCause: verdict.passed ? undefined : response.trim() === '' ? 'empty' : 'judged_wrong',
      explanation: [{ check: 'judge', passed: verdict.passed, detail }],
      details: { judge: record },
    };
  }
}

function isJudgeRequest(request: ScoreRequest): boolean {
  return request.benchmarkId === 'custom' && (request.item.data as CustomItemData | undefined)?.scorer === 'judge';
}

function excerpt(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > max ? `…${flat.slice(-max)}` : flat);
}
