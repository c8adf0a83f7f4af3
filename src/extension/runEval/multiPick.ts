/**
 * A multi-select quick pick that cannot be left empty by accident: Enter with nothing ticked keeps
 * it open and says what to do, instead of ending the wizard. Escape still leaves.
 */
import * as vscode from 'vscode';
import { emptyPickMessage } from './wizardSteps';

export function pickMany<T extends vscode.QuickPickItem>(items: T[], options: { title: string; what: 'models' | 'benchmarks' }): Promise<T[] | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<T>();
    pick.title = options.title;
    pick.canSelectMany = true;
    pick.ignoreFocusOut = true;
    pick.items = items;
    pick.selectedItems = items.filter((i) => i.picked);
    pick.placeholder = 'Space ticks an item; Enter goes on';
    let result: T[] | undefined;
    pick.onDidAccept(() => {
      if (pick.selectedItems.length === 0) {
        pick.placeholder = emptyPickMessage(options.what);
        pick.title = `${options.title} — nothing ticked`;
        return;
      }
      result = [...pick.selectedItems];
      pick.hide();
    });
    pick.onDidChangeSelection((selected) => {
      if (selected.length > 0) pick.title = options.title;
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(result);
    });
    pick.show();
  });
}
