/**
 * Commands over many stored runs: filter the runs view, the leaderboard, pin or clear a benchmark's
 * baseline. Each accepts its answer as an argument (tests, links) or asks with a quick pick.
 */
import * as vscode from 'vscode';
import { registerCommands } from './registerCommands';
import { runStatusLabel } from '../core/outcome';
import type { RunSummary } from '../core/storage/types';
import type { Panels } from './panels/panels';
import { showLeaderboard } from './panels/tablePanels';
import { RunNode } from './runsTree/runNode';
import { lastDays, parseDateRange, type RunsFilter } from './runsTree/runsFilter';
import type { RunsTreeProvider } from './runsTree/runsTreeProvider';
import type { EvalBenchServices } from './services';

export interface HistoryDeps {
  services: EvalBenchServices;
  tree: RunsTreeProvider;
  panels: Panels;
}

const STATUSES: RunSummary['status'][] = ['done', 'done_with_errors', 'queued', 'running', 'failed', 'cancelled', 'interrupted'];

export function activateHistoryCommands(deps: HistoryDeps): vscode.Disposable[] {
  const { services, tree, panels } = deps;

  async function summaryOf(arg: unknown, title: string): Promise<RunSummary | undefined> {
    const all = await tree.allSummaries();
    if (arg instanceof RunNode) return arg.summary;
    if (typeof arg === 'string') return all.find((s) => s.id === arg);
    const picked = await vscode.window.showQuickPick(
      all.map((s) => ({ label: `${s.label ?? s.model} · ${s.benchmarkId}`, description: s.createdAt.slice(0, 16).replace('T', ' '), detail: s.id, summary: s })),
      { title, matchOnDetail: true },
    );
    return picked?.summary;
  }

  const commands: Record<string, (...args: any[]) => unknown> = {
    'evalbench.filterRuns': async (given?: RunsFilter) => {
      const filter = given ?? (await askFilter(await tree.allSummaries(), tree.currentFilter()));
      if (filter) tree.setFilter(filter);
      return tree.currentFilter();
    },
    'evalbench.clearRunsFilter': () => tree.setFilter(undefined),
    'evalbench.showLeaderboard': async (benchmark?: string, metric?: string) => {
      showLeaderboard(panels.leaderboard, { benchmark, metric });
    },
    'evalbench.setBaseline': async (arg?: unknown) => {
      const summary = await summaryOf(arg, 'Set as baseline for its benchmark…');
      if (!summary) return undefined;
      await tree.setBaseline(summary.benchmarkId, summary.id);
      services.log.info(`baseline of ${summary.benchmarkId} is now run ${summary.id}`);
      return summary.id;
    },
    'evalbench.clearBaseline': async (arg?: unknown) => {
      const summary = arg === undefined ? undefined : await summaryOf(arg, 'Clear the baseline of…');
      const benchmark = summary?.benchmarkId ?? (await pickBaselineBenchmark(tree, await tree.allSummaries()));
      if (!benchmark) return undefined;
      await tree.setBaseline(benchmark, undefined);
      return benchmark;
    },
  };

  return registerCommands(commands, services.log);
}

async function pickBaselineBenchmark(tree: RunsTreeProvider, summaries: RunSummary[]): Promise<string | undefined> {
  const pinned = [...new Set(summaries.map((s) => s.benchmarkId))].filter((b) => tree.baselineOf(b));
  if (pinned.length === 0) return void vscode.window.showInformationMessage('No benchmark has a baseline.');
  if (pinned.length === 1) return pinned[0];
  return (await vscode.window.showQuickPick(pinned.map((b) => ({ label: b, description: `baseline ${tree.baselineOf(b)}` })), { title: 'Clear the baseline of…' }))?.label;
}

/** One quick pick for what to filter on, then one for the value; the current filter is kept and extended. */
async function askFilter(summaries: RunSummary[], current: RunsFilter | undefined): Promise<RunsFilter | undefined> {
  const count = (values: string[]) => [...new Set(values)].sort().map((v) => ({ label: v, description: `${values.filter((x) => x === v).length} runs` }));
  const field = await vscode.window.showQuickPick(
    [
      { label: 'Model', key: 'model' as const, description: current?.model },
      { label: 'Benchmark', key: 'benchmark' as const, description: current?.benchmark },
      { label: 'Status', key: 'status' as const, description: current?.status && runStatusLabel(current.status) },
      { label: 'Date range', key: 'date' as const, description: current?.dateLabel },
    ],
    { title: 'Filter runs by…' },
  );
  if (!field) return undefined;
  const next: RunsFilter = { ...current };
  if (field.key === 'model' || field.key === 'benchmark') {
    const values = field.key === 'model' ? summaries.map((s) => s.label ?? s.model) : summaries.map((s) => s.benchmarkId);
    const picked = await vscode.window.showQuickPick([{ label: '(any)', description: '' }, ...count(values)], { title: `Show runs of ${field.key}…` });
    if (!picked) return undefined;
    next[field.key] = picked.label === '(any)' ? undefined : picked.label;
  } else if (field.key === 'status') {
    // Shown in the words every view uses ("Done with errors"), in the fixed order, with how many runs have each.
    const statuses = STATUSES.map((status) => ({ label: runStatusLabel(status), description: `${summaries.filter((s) => s.status === status).length} runs`, status }));
    const picked = await vscode.window.showQuickPick([{ label: '(any)', description: '', status: undefined }, ...statuses], { title: 'Show runs with status…' });
    if (!picked) return undefined;
    next.status = picked.status;
  } else {
    const picked = await vscode.window.showQuickPick(
      [{ label: '(any date)', days: 0 }, { label: 'Today', days: 1 }, { label: 'Last 7 days', days: 7 }, { label: 'Last 30 days', days: 30 }, { label: 'Custom range…', days: -1 }],
      { title: 'Show runs started…' },
    );
    if (!picked) return undefined;
    if (picked.days === 0) Object.assign(next, { since: undefined, until: undefined, dateLabel: undefined });
    else if (picked.days > 0) Object.assign(next, lastDays(picked.days));
    else {
      const text = await vscode.window.showInputBox({
        title: 'Runs started between',
        prompt: 'YYYY-MM-DD..YYYY-MM-DD (either side may be left out), or one day',
        validateInput: (value) => {
          const parsed = parseDateRange(value);
          return 'error' in parsed ? parsed.error : undefined;
        },
      });
      if (!text) return undefined;
      const parsed = parseDateRange(text);
      if ('error' in parsed) return undefined;
      Object.assign(next, parsed);
    }
  }
  return next;
}
