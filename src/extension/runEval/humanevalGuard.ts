/**
 * HumanEval executes code the model wrote. It never runs in an untrusted workspace, and the first run
 * asks once, in a modal that says what runs, where and how.
 */
import * as vscode from 'vscode';
import type { HumanevalExecutor } from '../settings';

const CONSENT_KEY = 'evalbench.humanevalConsent';

/** `confirmedByCaller`: a programmatic caller already agreed; the trust check still applies. */
export async function confirmHumaneval(context: vscode.ExtensionContext, executor: HumanevalExecutor, pythonPath: string | undefined, confirmedByCaller = false): Promise<boolean> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showErrorMessage(
      'HumanEval runs code written by the model, so EvalBench does not run it in an untrusted workspace. Trust this workspace (Workspaces: Manage Workspace Trust) to run HumanEval.',
    );
    return false;
  }
  if (confirmedByCaller || context.globalState.get<boolean>(CONSENT_KEY)) return true;
  const where =
    executor === 'wasm'
      ? 'inside Pyodide (Python compiled to WebAssembly) in a separate Node process, with no access to your files or network'
      : `as a separate Python process (${pythonPath ?? 'python3 on PATH'}) in a temporary folder, with a time limit per problem; it runs with your user's permissions. Set "evalbench.humaneval.executor" to "wasm" to run it in a WebAssembly sandbox instead`;
  const answer = await vscode.window.showWarningMessage(
    'HumanEval will execute code written by the model.',
    { modal: true, detail: `Each of the model's answers is run against the benchmark's unit tests ${where}. Only run models you are willing to let write code on this machine.` },
    'Run HumanEval',
  );
  if (answer !== 'Run HumanEval') return false;
  await context.globalState.update(CONSENT_KEY, true);
  return true;
}
