/**
 * What fixes an error, in both places a user can be: the CLI flag and the VS Code setting (or Run
 * Eval step). Core code names the fix by key and writes messages that hold in both; each front end
 * adds the half that applies where the user is (the CLI prints the flag, VS Code names the setting
 * and offers a button that opens it).
 */
import { EvalBenchError } from './errors';

export interface FixHint {
  /** The CLI flag that fixes it, with its argument: "--punkt DIR". */
  flag: string;
  /** The VS Code setting that fixes it, when there is one. */
  setting?: string;
  /** Otherwise where in VS Code: "the Run Eval options step (Limit)". */
  inVsCode?: string;
}

export const FIX_HINTS = {
  punkt: { flag: '--punkt DIR', setting: 'evalbench.punktFolder' },
  dataset: { flag: '--dataset PATH', setting: 'evalbench.datasetFiles' },
  customDataset: { flag: '--benchmark custom:PATH.jsonl', inVsCode: 'the file picked after choosing Custom JSONL in Run Eval' },
  python: { flag: '--python PATH', setting: 'evalbench.pythonPath' },
  executor: { flag: '--executor wasm', setting: 'evalbench.humaneval.executor' },
  limit: { flag: '--limit N', inVsCode: 'Run Eval’s “Limit, samples, sampling…” step' },
  concurrency: { flag: '--concurrency N', setting: 'evalbench.concurrency' },
  requestTimeout: { flag: '--request-timeout SECONDS', setting: 'evalbench.requestTimeoutSeconds' },
  itemTimeout: { flag: '--item-timeout SECONDS', setting: 'evalbench.itemTimeoutSeconds' },
  runsFolder: { flag: '--out DIR', setting: 'evalbench.runsFolder' },
} as const satisfies Record<string, FixHint>;

export type FixKey = keyof typeof FIX_HINTS;

/** Marks an error with what fixes it (the error itself, for `throw withFix(e, 'punkt')`). */
export function withFix<E>(error: E, fix: FixKey): E {
  if (error instanceof EvalBenchError && error.fix === undefined) error.fix = fix;
  return error;
}

export function fixOf(error: unknown): FixHint | undefined {
  return error instanceof EvalBenchError && error.fix ? FIX_HINTS[error.fix as FixKey] : undefined;
}

/** The CLI's line: "fix: --punkt DIR". */
export function cliFixText(error: unknown): string | undefined {
  const hint = fixOf(error);
  return hint ? `fix: ${hint.flag}` : undefined;
}

/** VS Code's sentence: "Set evalbench.punktFolder." or "Change it in …". */
export function vscodeFixText(error: unknown): string | undefined {
  const hint = fixOf(error);
  if (!hint) return undefined;
  return 'setting' in hint && hint.setting ? `Fix it in the setting ${hint.setting}.` : `Change it in ${'inVsCode' in hint ? hint.inVsCode : 'Run Eval'}.`;
}
