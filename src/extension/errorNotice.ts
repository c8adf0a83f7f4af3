/**
 * How the VS Code surface shows an error: the message, then what fixes it *here* — the setting, with
 * a button that opens it (the CLI names the flag instead; see src/core/fixHints.ts).
 */
import * as vscode from 'vscode';
import { errorMessage } from '../core/errors';
import { fixOf, vscodeFixText } from '../core/fixHints';

const OPEN_SETTING = 'Open Setting';
const SHOW_LOG = 'Show Log';

/** The text shown for an error in VS Code: its message and, when known, the setting that fixes it. */
export function vscodeErrorText(error: unknown): string {
  const fix = vscodeFixText(error);
  return fix ? `${errorMessage(error)}. ${fix}` : errorMessage(error);
}

/** Shows the error; resolves to the button pressed (after acting on it). */
export async function showErrorNotice(error: unknown, log: vscode.LogOutputChannel, context = 'EvalBench'): Promise<string | undefined> {
  const hint = fixOf(error);
  const setting = hint && 'setting' in hint ? hint.setting : undefined;
  const buttons = setting ? [OPEN_SETTING, SHOW_LOG] : [SHOW_LOG];
  const answer = await vscode.window.showErrorMessage(`${context}: ${vscodeErrorText(error)}`, ...buttons);
  if (answer === OPEN_SETTING && setting) await vscode.commands.executeCommand('workbench.action.openSettings', setting);
  if (answer === SHOW_LOG) log.show();
  return answer;
}
