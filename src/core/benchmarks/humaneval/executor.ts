/**
 * The executor contract shared by the native (CPython) and WebAssembly (Pyodide) sandboxes.
 * Both reproduce the official openai/human-eval verdicts (`check_correctness`, commit 6d43fb9):
 *   "passed"          exec() of the whole program returned;
 *   "timed out"       the time limit was hit, or the program ended without the harness reporting
 *                     (os._exit, a signal, a killed interpreter);
 *   "failed: <str(e)>" any BaseException, SystemExit included (sys.exit(0) → "failed: 0").
 */

export type Outcome = 'passed' | 'failed' | 'timed out';

/** A HumanEval task with the completion to test: the official program is prompt + completion + "\n" + test + "\n" + `check(entry_point)`. */
export interface ProgramParts {
  prompt: string;
  completion: string;
  test: string;
  entryPoint: string;
}

/**
 * One program to run: either the parts of a HumanEval task (the completion runs in a namespace of its own,
 * `check` in one built from the dataset's prompt and test: see programRunner.ts), or a whole program
 * whose verdict is "nothing was raised".
 */
export type ProgramSpec = ({ parts: ProgramParts; program?: undefined } | { program: string; parts?: undefined }) & {
  /** Overrides the executor's time limit (ms). */
  timeoutMs?: number;
  /** Called each time the program starts running (after waiting for a slot; again for a second run alone). */
  onStart?: () => void;
};

/** The job as the Python runner reads it. */
export function jobOf(spec: ProgramSpec): Record<string, string> {
  if (spec.parts) {
    const { prompt, completion, test, entryPoint } = spec.parts;
    return { prompt, completion, test, entry_point: entryPoint };
  }
  return { program: spec.program };
}

export interface ExecutionResult {
  outcome: Outcome;
  /** The official result string: "passed", "timed out" or "failed: <message>". */
  result: string;
  /** The exception's traceback (harness frames removed, trimmed), when it failed with one. */
  traceback?: string;
  /** The exception's class name ("AssertionError", "SyntaxError"…), when it failed with one. */
  exceptionType?: string;
  durationMs: number;
  /** What the sandbox could and could not enforce for this run (e.g. network: "not cut: …"). */
  isolation?: Record<string, string>;
  /** Why a pass may not mean what it says (a returned object of a type that is not built-in…). */
  suspicious?: string;
  /** "timed out" confirmed by a second run with no other program of the pool running. */
  confirmedAlone?: boolean;
}

export interface CodeExecutor {
  readonly kind: 'native' | 'wasm';
  run(program: ProgramSpec, signal?: AbortSignal): Promise<ExecutionResult>;
  dispose(): Promise<void>;
}

export interface ExecutorOptions {
  /** Time limit per program (the official 3 s by default). */
  timeoutMs?: number;
  /** Programs run at the same time (default: the number of cores). */
  parallelism?: number;
  /** Address-space cap per program (native) in MiB. */
  memoryMb?: number;
}

export const DEFAULT_TIMEOUT_MS = 3000;
/** Characters of a failure message or traceback kept in a result (the Python side caps first). */
export const RESULT_TEXT_CAP = 8192;

/** Cap a text stored with a result, saying how much was cut. */
export function capText(text: string, limit = RESULT_TEXT_CAP): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}... [truncated: ${text.length - limit} more characters]`;
}
/** Large enough for the official "1 GiB bytearray passes" behaviour, small enough to stop runaway allocation. */
export const DEFAULT_MEMORY_MB = 2048;

/** The official program assembly. */
export function assembleProgram(prompt: string, completion: string, test: string, entryPoint: string): string {
  return prompt + completion + '\n' + test + '\n' + `check(${entryPoint})`;
}

export function outcomeOf(result: string): Outcome {
  if (result === 'passed') return 'passed';
  if (result === 'timed out') return 'timed out';
  return 'failed';
}
