/**
 * Run Eval: pick a server and models, benchmark(s), optional limits and sampling, then start one run per
 * model and benchmark. Remembers the last choices. Called with a RunEvalChoices argument it skips the
 * pickers (tests, keybindings) and resolves to the started run ids.
 */
import * as vscode from 'vscode';
import { denominatorText, errorText } from '../../core/outcome';
import { errorMessage } from '../../core/errors';
import { showErrorNotice } from '../errorNotice';
import type { RunHandle } from '../../core/run/types';
import type { EvalBenchServices } from '../services';
import { concurrency, datasetFiles, humanevalExecutor, ifevalStripReasoning, itemTimeoutMs, judgeSetting, punktFolder, pythonPath, storeLogprobs } from '../settings';
import type { SavedEndpoint } from '../settings';
import { apiKeyFor, askBaseUrl, pickModels, pickServer } from './endpointPicker';
import { pickMany } from './multiPick';
import { startItems, stepTitle } from './wizardSteps';
import { confirmHumaneval } from './humanevalGuard';
import { BENCHMARK_CHOICES, buildRunRequests, parseSamplingOverrides, validateChoices, type RunEvalChoices } from './runRequestBuilder';
import { trackRun } from './runTracking';

const LAST_CHOICES_KEY = 'evalbench.lastRunChoices';

export interface RunEvalDeps {
  services: EvalBenchServices;
  openRun(runId: string): void;
  /** The matrix of runs started together, filling in as they go. */
  openLiveMatrix(handles: RunHandle[]): void;
}

export function activateRunEval(context: vscode.ExtensionContext, deps: RunEvalDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('evalbench.runEval', async (arg?: unknown): Promise<string[] | undefined> => {
      try {
        const choices = arg !== undefined ? validateChoices(arg) : await askChoices(context);
        if (!choices) return undefined;
        if (arg === undefined) await context.globalState.update(LAST_CHOICES_KEY, choices);
        const handles = await startRuns(context, deps, choices, arg === undefined || choices.openPanels === true);
        return handles.map((h) => h.runId);
      } catch (error) {
        deps.services.log.error(`Run Eval: ${errorMessage(error)}`);
        void showErrorNotice(error, deps.services.log);
        if (arg !== undefined) throw error;
        return undefined;
      }
    }),
  ];
}

async function startRuns(context: vscode.ExtensionContext, deps: RunEvalDeps, choices: RunEvalChoices, openPanel: boolean): Promise<RunHandle[]> {
  const { services } = deps;
  const executor = humanevalExecutor();
  const python = await pythonPath();
  if (choices.benchmarks.includes('humaneval') && !(await confirmHumaneval(context, executor, python, choices.confirmed === true))) return [];
  const apiKey = await apiKeyFor(context.secrets, choices.baseUrl);
  const requests = buildRunRequests({ datasetFiles: datasetFiles(), ...choices }, {
    apiKey,
    concurrency: concurrency(),
    humanevalExecutor: executor,
    pythonPath: python,
    punktDir: punktFolder(),
    stripReasoning: ifevalStripReasoning(),
    itemTimeoutMs: itemTimeoutMs(),
    logprobs: storeLogprobs(),
    judge: judgeSetting(),
  });
  const handles: RunHandle[] = [];
  const perBenchmark: RunHandle[][] = [];
  for (const request of requests) {
    const started = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `EvalBench: preparing ${request.benchmark.id} (probing ${choices.baseUrl}, loading the dataset)…`, cancellable: true },
      (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return services.manager().start(request, abort.signal);
      },
    );
    for (const handle of started) {
      services.activeRuns.add(handle);
      services.log.info(`run ${handle.runId} started: ${request.benchmark.id} on ${choices.baseUrl} (${handle.file})`);
      void trackRun(handle, `EvalBench ${request.benchmark.id}`, services.log).then((record) => {
        services.log.info(`run ${record.id} ${record.status}${record.error ? `: ${record.error}` : ''}`);
        // Never a plain green "done" when some samples could not be judged: say how many and what the metrics are over.
        if (record.status === 'done_with_errors') {
          const counts = handle.progress().counts;
          void vscode.window.showWarningMessage(
            `EvalBench: run ${record.id} is done with errors (${errorText(counts)}); its metrics are ${denominatorText(counts)}.`,
          );
        }
      });
    }
    handles.push(...started);
    perBenchmark.push(started);
  }
  if (openPanel) {
    // A model matrix (several models on one benchmark) opens one matrix panel that fills in live.
    const matrices = perBenchmark.filter((group) => group.length > 1);
    for (const group of matrices) deps.openLiveMatrix(group);
    if (matrices.length === 0 && handles[0]) deps.openRun(handles[0].runId);
  }
  return handles;
}

async function askChoices(context: vscode.ExtensionContext): Promise<RunEvalChoices | undefined> {
  const last = context.globalState.get<RunEvalChoices>(LAST_CHOICES_KEY);
  // Steps 1–2: a server and its models. "Edit URL" after a failed listing comes back here.
  let endpoint: SavedEndpoint | undefined;
  let models: string[] | undefined;
  let typedUrl: string | undefined;
  while (!models) {
    let isNew = false;
    if (typedUrl === undefined) {
      const server = await pickServer(last?.baseUrl);
      if (!server) return undefined;
      if (server !== 'new') endpoint = server;
      else isNew = true;
    } else isNew = true;
    if (isNew) {
      const baseUrl = await askBaseUrl(typedUrl ?? last?.baseUrl);
      if (!baseUrl) return undefined;
      endpoint = { baseUrl };
    }
    const answer = await pickModels(endpoint!, context.secrets, last?.models, isNew);
    if (!answer) return undefined;
    if ('editUrl' in answer) {
      typedUrl = endpoint!.baseUrl;
      continue;
    }
    models = answer.models;
  }
  const hasModelStep = !endpoint!.model;

  const benchmarks = await pickMany(
    BENCHMARK_CHOICES.map((b) => ({ label: b.label, detail: b.detail, id: b.id, picked: last?.benchmarks.includes(b.id) ?? false })),
    { title: stepTitle('benchmarks', hasModelStep, 'benchmarks'), what: 'benchmarks' },
  );
  if (!benchmarks) return undefined;
  let datasetPath: string | undefined;
  if (benchmarks.some((b) => b.id === 'custom')) {
    const files = await vscode.window.showOpenDialog({ title: 'Custom benchmark: a JSONL file', filters: { 'JSON Lines': ['jsonl'] }, canSelectMany: false });
    if (!files?.[0]) return undefined;
    datasetPath = files[0].fsPath;
  }

  const choices: RunEvalChoices = { baseUrl: endpoint!.baseUrl, models, mode: endpoint!.mode, label: endpoint!.label, benchmarks: benchmarks.map((b) => b.id), datasetPath };
  // Step 4: "Start" runs exactly what its line says (last time's limit, samples and sampling, if any).
  const items = startItems(last);
  const how = await vscode.window.showQuickPick(items, { title: stepTitle('options', hasModelStep, 'options'), ignoreFocusOut: true });
  if (!how) return undefined;
  if (how.overrides === 'ask') {
    if (!(await askOverrides(choices, last))) return undefined;
  } else {
    Object.assign(choices, how.overrides);
  }
  return choices;
}

async function askOverrides(choices: RunEvalChoices, last: RunEvalChoices | undefined): Promise<boolean> {
  const wholeNumber = (value: string) => (value === '' || /^[1-9]\d*$/.test(value) ? undefined : 'A whole number ≥ 1, or empty');
  const limit = await vscode.window.showInputBox({ title: 'Only the first N items (empty: all)', value: last?.limit ? String(last.limit) : '', validateInput: wholeNumber, ignoreFocusOut: true });
  if (limit === undefined) return false;
  const samples = await vscode.window.showInputBox({ title: 'Samples per item (more than 1 uses temperature 0.8 unless set)', value: String(last?.samplesPerItem ?? 1), validateInput: wholeNumber, ignoreFocusOut: true });
  if (samples === undefined) return false;
  const sampling = await vscode.window.showInputBox({
    title: 'Sampling overrides (empty: benchmark defaults)',
    placeHolder: 'temperature=0.7, top_p=0.95, max_tokens=1024, seed=1',
    value: last?.sampling ? Object.entries(last.sampling).map(([k, v]) => `${k}=${v}`).join(', ') : '',
    validateInput: (value) => {
      try {
        parseSamplingOverrides(value);
        return undefined;
      } catch (error) {
        return errorMessage(error);
      }
    },
    ignoreFocusOut: true,
  });
  if (sampling === undefined) return false;
  choices.limit = limit ? Number(limit) : undefined;
  choices.samplesPerItem = samples ? Number(samples) : undefined;
  choices.sampling = parseSamplingOverrides(sampling);
  return true;
}
