import * as vscode from 'vscode';
import { errorMessage } from '../core/errors';
import { showErrorNotice } from './errorNotice';

/**
 * Register a table of commands. A command that throws is logged and shown to the user as one readable
 * message, instead of VS Code's generic "command resulted in an error".
 */
export function registerCommands(
  commands: Record<string, (...args: any[]) => unknown>,
  log: vscode.LogOutputChannel,
): vscode.Disposable[] {
  return Object.entries(commands).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (error) {
        log.error(`${id}: ${errorMessage(error)}`);
        void showErrorNotice(error, log);
        return undefined;
      }
    }),
  );
}
