/**
 * HumanevalScorer: runs in the scoring worker. Extracts the completion from a reply, runs the official
 * program (prompt + completion + test + check(entry_point)) in a sandboxed executor, and explains the verdict.
 *
 * Options (constructor, or per request in `ScoreRequest.options`):
 *   executor   'native' | 'wasm' | 'auto' (default: native when a Python 3 interpreter runs, else wasm)
 *   pythonPath interpreter for native (default python3)
 *   timeoutMs  per program (default 3000, the official limit);  memoryMb  native address-space cap
 *   parallelism programs at once (default: cores)
 *   promptMode 'chat' | 'completions' | 'as_given' | 'auto': how the reply becomes a completion. 'auto'
 *              (the default) extracts when the reply has a fenced code block and otherwise appends it as given.
 */
import { CancelledError, ConfigError, ScoringError, errorMessage } from '../../errors';
import type { BenchmarkScorer, ExplanationLine, ItemScore, ScoreHooks, ScoreRequest } from '../types';
import type { HumanevalItemData } from './dataset';
import { type CodeExecutor, type ExecutionResult } from './executor';
import { extractChatCompletion, extractCompletionMode, type Extraction } from './extraction';
import { NativeExecutor, resolveInterpreter } from './nativeExecutor';
import { WasmExecutor } from './wasmExecutor';

export type ExecutorKind = 'native' | 'wasm' | 'auto';
export type HumanevalPromptMode = 'chat' | 'completions' | 'as_given' | 'auto';

export interface HumanevalScorerOptions {
  executor?: ExecutorKind;
  pythonPath?: string;
  timeoutMs?: number;
  memoryMb?: number;
  parallelism?: number;
  promptMode?: HumanevalPromptMode;
}

/** What ItemScore.details holds for HumanEval. */
export interface HumanevalScoreDetails {
  /** The official result string ("passed", "timed out", "failed: …"); absent when extraction failed. */
  result?: string;
  completion?: string;
  extraction: string;
  traceback?: string;
  exceptionType?: string;
  executor?: 'native' | 'wasm';
  durationMs?: number;
  isolation?: Record<string, string>;
  /** Why this pass may not mean what it says (a returned object of a type that is not built-in). */
  suspicious?: string;
  /** The timeout was confirmed by a second run with no other program of the pool running. */
  confirmedAlone?: boolean;
}

export type FailureCause = 'extraction' | 'timeout' | 'syntax_error' | 'runtime_error' | 'assertion' | 'truncated';

export function extractCompletion(request: ScoreRequest<HumanevalItemData>, mode: HumanevalPromptMode): Extraction {
  const { prompt, entryPoint } = request.item.data;
  const response = request.response;
  switch (mode) {
    case 'chat':
      return extractChatCompletion(response, prompt, entryPoint);
    case 'completions':
      return extractCompletionMode(response);
    case 'as_given':
      return { ok: true, completion: response, method: 'completion' };
    default:
      return /(^|\n)[ \t]*(```|~~~)/.test(response)
        ? extractChatCompletion(response, prompt, entryPoint)
        : { ok: true, completion: response, method: 'completion' };
  }
}

const SYNTAX_ERRORS = new Set(['SyntaxError', 'IndentationError', 'TabError']);

export function failureCauseOf(result: ExecutionResult, truncated: boolean): FailureCause | undefined {
  if (result.outcome === 'passed') return undefined;
  if (truncated) return 'truncated';
  if (result.outcome === 'timed out') return 'timeout';
  if (result.exceptionType && SYNTAX_ERRORS.has(result.exceptionType)) return 'syntax_error';
  if (result.exceptionType === 'AssertionError') return 'assertion';
  return 'runtime_error';
}

/** The failing line of the program (from the traceback), e.g. "assert candidate([1, 2]) == 3". */
function failingLine(traceback: string | undefined): string | undefined {
  if (!traceback) return undefined;
  const lines = traceback.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/^\s+File "<string>", line \d+/.test(lines[i]) && lines[i + 1]?.trim()) return lines[i + 1].trim();
  }
  return undefined;
}

export function explainExecution(result: ExecutionResult, timeoutMs: number, truncated: boolean): string {
  const suffix = truncated ? ' (the reply was cut at max_tokens)' : '';
  if (result.outcome === 'passed') return 'all tests passed';
  if (result.outcome === 'timed out') {
    const alone = result.confirmedAlone ? ', twice: the second time alone' : '';
    return `timed out after ${timeoutMs / 1000} s${alone}, or the program ended without reporting (os._exit, a signal)${suffix}`;
  }
  const where = failingLine(result.traceback);
  const message = result.result.replace(/^failed: /, '');
  const type = result.exceptionType ?? 'error';
  if (type === 'AssertionError') return `a test failed: ${where ?? 'assert'}${message ? ` (${message})` : ''}${suffix}`;
  if (SYNTAX_ERRORS.has(type)) return `${type}: ${message}${suffix}`;
  return `${type}: ${message || '(no message)'}${where ? ` at ${where}` : ''}${suffix}`;
}

export class HumanevalScorer implements BenchmarkScorer<HumanevalItemData> {
  readonly benchmarkId = 'humaneval';
  readonly reportsStart = true;
  private readonly executors = new Map<string, Promise<CodeExecutor>>();

  constructor(private readonly options: HumanevalScorerOptions = {}) {}

  private config(requestOptions: Record<string, unknown> | undefined): Required<Omit<HumanevalScorerOptions, 'pythonPath' | 'memoryMb' | 'parallelism'>> & HumanevalScorerOptions {
    const o = { ...this.options, ...(requestOptions ?? {}) } as HumanevalScorerOptions;
    const executor = o.executor ?? 'auto';
    if (!['native', 'wasm', 'auto'].includes(executor)) throw new ConfigError(`unknown HumanEval executor '${String(executor)}': use native, wasm or auto`);
    return { ...o, executor, timeoutMs: o.timeoutMs ?? 3000, promptMode: o.promptMode ?? 'auto' };
  }

  /** The executor for these options, created once. */
  executorFor(requestOptions?: Record<string, unknown>): Promise<CodeExecutor> {
    const c = this.config(requestOptions);
    const key = JSON.stringify([c.executor, c.pythonPath, c.timeoutMs, c.memoryMb, c.parallelism]);
    let pending = this.executors.get(key);
    if (!pending) {
      pending = this.createExecutor(c);
      pending.catch(() => this.executors.delete(key));
      this.executors.set(key, pending);
    }
    return pending;
  }

  private async createExecutor(c: HumanevalScorerOptions & { executor: ExecutorKind; timeoutMs: number }): Promise<CodeExecutor> {
    const common = { timeoutMs: c.timeoutMs, parallelism: c.parallelism };
    if (c.executor === 'wasm') return new WasmExecutor(common);
    if (c.executor === 'auto') {
      if (process.platform === 'win32') return new WasmExecutor(common);
      try {
        await resolveInterpreter(c.pythonPath);
      } catch {
        return new WasmExecutor(common);
      }
    }
    return new NativeExecutor({ ...common, pythonPath: c.pythonPath, memoryMb: c.memoryMb });
  }

  async score(request: ScoreRequest<HumanevalItemData>, signal?: AbortSignal, hooks?: ScoreHooks): Promise<ItemScore> {
    if (signal?.aborted) throw new CancelledError();
    const c = this.config(request.options);
    const truncated = request.truncated === true;
    const extraction = extractCompletion(request, c.promptMode);
    if (!extraction.ok) {
      hooks?.started();
      return {
        passed: false,
        score: 0,
        values: { passed: 0 },
        failureCause: truncated ? 'truncated' : 'extraction',
        explanation: [{ check: 'extraction', passed: false, detail: extraction.reason + (truncated ? ' (the reply was cut at max_tokens)' : '') }],
        details: { extraction: 'failed' } satisfies HumanevalScoreDetails,
      };
    }
    const { prompt, test, entryPoint } = request.item.data;
    const executor = await this.executorFor(request.options);
    let result: ExecutionResult;
    try {
      result = await executor.run({ parts: { prompt, completion: extraction.completion, test, entryPoint }, onStart: () => hooks?.started() }, signal);
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      throw new ScoringError(`could not run HumanEval code with the ${executor.kind} executor: ${errorMessage(error)}`);
    }
    const passed = result.outcome === 'passed';
    const explanation: ExplanationLine[] = [
      { check: 'extraction', passed: true, detail: `completion taken as ${extraction.method.replace(/_/g, ' ')}` },
      { check: 'tests', passed, detail: explainExecution(result, c.timeoutMs, truncated) },
    ];
    if (result.suspicious) {
      // Not a failure: the official harness passes it too. Shown so that a person can look.
      explanation.push({ check: 'suspicious', passed: true, detail: `suspicious pass: ${result.suspicious}` });
    }
    const details: HumanevalScoreDetails = {
      result: result.result,
      completion: extraction.completion,
      extraction: extraction.method,
      traceback: result.traceback,
      exceptionType: result.exceptionType,
      executor: executor.kind,
      durationMs: result.durationMs,
      isolation: result.isolation,
      suspicious: result.suspicious,
      confirmedAlone: result.confirmedAlone,
    };
    return { passed, score: passed ? 1 : 0, values: { passed: passed ? 1 : 0 }, failureCause: failureCauseOf(result, truncated), explanation, details };
  }

  async dispose(): Promise<void> {
    const all = [...this.executors.values()];
    this.executors.clear();
    await Promise.allSettled(all.map(async (p) => (await p).dispose()));
  }
}
