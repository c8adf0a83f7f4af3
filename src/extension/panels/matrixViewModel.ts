/**
 * Builds the model matrix for more than two runs: metrics × runs (each cell with its interval, the best
 * per row marked) and each item's outcome in every run. Pure (no `vscode`), unit-tested on Node.
 */
import { isFinishedStatus, runStatusWord, type SampleOutcome } from '../../core/outcome';
import { matrix } from '../../core/compare/tables';
import { tradeoffCharts } from '../../core/charts/tradeoffChart';
import { passFraction, scoresByItem, unjudgedReasons, type RunData } from '../../core/compare/runData';
import type { BootstrapOptions } from '../../core/stats/bootstrap';
import { shortDate } from '../runsTree/runsGrouping';
import type { MatrixOutcome, MatrixSnapshot } from '../../shared/webviewProtocol';

/** Items sent to the webview: enough to read, few enough to keep the message small. */
export const MATRIX_ITEM_LIMIT = 500;

export function matrixView(runs: RunData[], options: BootstrapOptions & { itemLimit?: number } = {}): MatrixSnapshot {
  const table = matrix(runs, options);
  const metrics = table.rows.map((row) => {
    const values = row.cells.map((c) => (c && Number.isFinite(c.value) ? c.value : -Infinity));
    const top = Math.max(...values);
    // Every run that reaches the top value is "best": ties are common on small sets.
    const best = top === -Infinity ? [] : values.flatMap((v, i) => (v === top ? [i] : []));
    return { label: row.label, cells: row.cells.map((c) => (c ? { value: c.value, lo: c.ci.lo, hi: c.ci.hi, n: c.n } : null)), best };
  });

  const outcomes: Map<string, MatrixOutcome>[] = runs.map(itemOutcomes);
  const order = itemOrder(runs);
  const allItems = order.map((itemId) => {
    const row = outcomes.map((o) => o.get(itemId) ?? 'absent');
    // Only verdicts can disagree: a request failure in one run is not a different answer.
    const verdicts = row.filter((o) => o === 'passed' || o === 'wrong');
    return { itemId, outcomes: row, disagree: verdicts.some((v) => v !== verdicts[0]) };
  });
  const limit = options.itemLimit ?? MATRIX_ITEM_LIMIT;
  // The disagreeing items are what people look for: keep them all (within the limit) ahead of the rest.
  const disagreeing = allItems.filter((i) => i.disagree);
  const items = [...disagreeing.slice(0, limit), ...allItems.filter((i) => !i.disagree).slice(0, Math.max(0, limit - disagreeing.length))];
  const position = new Map(order.map((id, i) => [id, i]));
  items.sort((x, y) => position.get(x.itemId)! - position.get(y.itemId)!);

  const warnings: string[] = [];
  const benchmarks = new Set(runs.map((r) => r.run.config.benchmarkId));
  if (benchmarks.size > 1) warnings.push(`The runs are on different benchmarks (${[...benchmarks].join(', ')}); rows mix unrelated metrics.`);
  const datasets = new Set(runs.map((r) => r.run.config.datasetSha256));
  if (benchmarks.size === 1 && datasets.size > 1) warnings.push('The runs used different dataset files (their sha256 differ); items may not match.');
  for (const r of runs) if (!isFinishedStatus(r.run.status)) warnings.push(`Run ${r.run.id} is ${runStatusWord(r.run.status)}: only its judged items count.`);

  return {
    columns: runs.map((r, i) => ({ runId: r.run.id, label: table.columns[i].label, detail: `${r.run.config.benchmarkId} · ${shortDate(r.run.createdAt)}` })),
    metrics,
    items,
    totalItems: allItems.length,
    disagreeing: disagreeing.length,
    warnings,
    charts: tradeoffCharts(runs, options),
  };
}

/**
 * Each item's outcome in one run: the verdict over its judged samples (passed when more than half passed), else
 * request failed, scoring error or pending by its samples (core/outcome.ts); items the run lacks are not in the map.
 */
function itemOutcomes(r: RunData): Map<string, SampleOutcome> {
  const scored = scoresByItem(r);
  const byItem = new Map<string, SampleOutcome>(unjudgedReasons(r, scored));
  for (const [id, scores] of scored) byItem.set(id, passFraction(scores) > 0.5 ? 'passed' : 'wrong');
  return byItem;
}

/** Item ids in the first run's stored order, then ids only later runs have. */
function itemOrder(runs: RunData[]): string[] {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const r of runs) {
    const scored = new Set(r.samples.filter((s) => s.score).map((s) => s.itemId));
    const ordered = [...r.items].sort((x, y) => x.index - y.index).map((i) => i.id).filter((id) => scored.has(id));
    for (const id of [...ordered, ...scored]) {
      if (!seen.has(id)) {
        seen.add(id);
        ids.push(id);
      }
    }
  }
  return ids;
}
