/**
 * The Run Eval wizard's server and model steps. A new server is saved only once it answered with
 * its models; saved servers can be removed from the picker itself; a refused connection offers
 * "Retry" / "Edit URL", and "Enter API Key" comes only after the server said 401/403. API keys live
 * only in SecretStorage, keyed by base URL.
 */
import * as vscode from 'vscode';
import { listModels } from '../../core/endpoint/serverProbe';
import { EndpointError, errorMessage } from '../../core/errors';
import { removeEndpoint, saveEndpoint, savedEndpoints, type SavedEndpoint } from '../settings';
import { pickMany } from './multiPick';
import { listFailureActions, stepTitle } from './wizardSteps';

const NEW_SERVER = '$(add) New server…';
const REMOVE_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Remove this saved server' };

export function secretKey(baseUrl: string): string {
  return `evalbench.apiKey:${baseUrl}`;
}

export async function apiKeyFor(secrets: vscode.SecretStorage, baseUrl: string): Promise<string | undefined> {
  return (await secrets.get(secretKey(baseUrl))) || undefined;
}

type ServerItem = vscode.QuickPickItem & { endpoint?: SavedEndpoint };

function serverItems(lastBaseUrl: string | undefined): ServerItem[] {
  const items: ServerItem[] = savedEndpoints().map((endpoint) => ({
    label: endpoint.label ?? endpoint.model ?? endpoint.baseUrl,
    description: endpoint.label || endpoint.model ? endpoint.baseUrl : undefined,
    detail: endpoint.model ? `model ${endpoint.model}` : 'models listed from the server',
    buttons: [REMOVE_BUTTON],
    endpoint,
  }));
  items.sort((a, b) => Number(b.endpoint?.baseUrl === lastBaseUrl) - Number(a.endpoint?.baseUrl === lastBaseUrl));
  items.push({ label: NEW_SERVER, detail: 'An OpenAI-compatible base URL: vLLM, llama.cpp, Ollama, LM Studio' });
  return items;
}

/** Step 1: a saved server (trash button removes it), or 'new'. Undefined: the user left. */
export function pickServer(lastBaseUrl: string | undefined): Promise<SavedEndpoint | 'new' | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<ServerItem>();
    pick.title = stepTitle('server', true, 'model server');
    pick.placeholder = 'Choose a server (the trash button removes a saved one)';
    pick.ignoreFocusOut = true;
    pick.items = serverItems(lastBaseUrl);
    let result: SavedEndpoint | 'new' | undefined;
    pick.onDidTriggerItemButton(async ({ item }) => {
      if (!item.endpoint) return;
      await removeEndpoint(item.endpoint);
      pick.items = serverItems(lastBaseUrl);
      pick.placeholder = `Removed ${item.endpoint.baseUrl}${item.endpoint.model ? ` (${item.endpoint.model})` : ''}. Choose a server`;
    });
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0];
      if (!chosen) return;
      result = chosen.endpoint ?? 'new';
      pick.hide();
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(result);
    });
    pick.show();
  });
}

export async function askBaseUrl(value: string | undefined): Promise<string | undefined> {
  const baseUrl = await vscode.window.showInputBox({
    title: 'Run Eval: server base URL',
    value: value ?? 'http://127.0.0.1:8080/v1',
    prompt: 'llama.cpp :8080, vLLM :8000, Ollama :11434, LM Studio :1234. It is saved once it answers.',
    ignoreFocusOut: true,
    validateInput: (text) => (/^https?:\/\/\S+$/.test(text.trim()) ? undefined : 'Enter an http:// or https:// URL'),
  });
  return baseUrl?.trim() || undefined;
}

export type ModelsAnswer = { models: string[] } | { editUrl: true } | undefined;

/**
 * Step 2: the models to evaluate, from the server's /v1/models (several = a model matrix). A new
 * server is saved here, after it answered. On failure: Retry / Edit URL / Type Model Id, or Enter
 * API Key after 401/403.
 */
export async function pickModels(
  endpoint: SavedEndpoint,
  secrets: vscode.SecretStorage,
  lastModels: string[] | undefined,
  isNew: boolean,
): Promise<ModelsAnswer> {
  if (endpoint.model) return { models: [endpoint.model] };
  let apiKey = await apiKeyFor(secrets, endpoint.baseUrl);
  for (;;) {
    let models: string[];
    try {
      models = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Listing models on ${endpoint.baseUrl}…` },
        () => listModels(endpoint.baseUrl, apiKey),
      );
    } catch (error) {
      const status = error instanceof EndpointError ? error.details.status : undefined;
      const actions = listFailureActions(status);
      const why = status === 401 || status === 403 ? 'The server wants an API key.' : 'Is the server running, and is the URL right?';
      const action = await vscode.window.showErrorMessage(`${errorMessage(error)}. ${why}`, ...actions);
      if (action === 'Retry') continue;
      if (action === 'Edit URL') return { editUrl: true };
      if (action === 'Enter API Key') {
        const key = await vscode.window.showInputBox({ title: `API key for ${endpoint.baseUrl} (kept in VS Code's secret storage)`, password: true, ignoreFocusOut: true });
        if (!key) return undefined;
        await secrets.store(secretKey(endpoint.baseUrl), key);
        apiKey = key;
        continue;
      }
      if (action === 'Type Model Id') {
        const id = await vscode.window.showInputBox({ title: 'Model id as the server names it', ignoreFocusOut: true });
        return id ? { models: [id] } : undefined;
      }
      return undefined;
    }
    if (isNew) await saveEndpoint(endpoint);
    const picked = await pickMany(
      models.map((id) => ({ label: id, picked: lastModels?.includes(id) ?? false })),
      { title: stepTitle('models', true, 'models (several = one run each, one matrix)'), what: 'models' },
    );
    return picked ? { models: picked.map((p) => p.label) } : undefined;
  }
}
