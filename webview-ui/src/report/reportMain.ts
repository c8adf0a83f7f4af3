/**
 * The HTML report's script (inlined into the file by src/core/report/htmlReport.ts): draws the charts
 * from their specifications and turns the items into a table with a search box. No network, no host.
 */
import type { ChartSpec } from '../../../src/core/charts/types';
import type { ReportTable } from '../../../src/core/report/reportModel';
import { gridCellWidth, renderChart } from '../charts/renderChart';
import { itemTable } from './itemTable';

interface ReportData {
  charts: ChartSpec[];
  items: ReportTable;
}

function drawCharts(holder: HTMLElement, charts: ChartSpec[]): void {
  const width = gridCellWidth(holder.clientWidth || 900, charts.length, 520, 28);
  holder.replaceChildren(...charts.map((c) => renderChart(c, { width })));
}

const data = JSON.parse(document.getElementById('report-data')?.textContent ?? '{}') as ReportData;
const charts = document.getElementById('charts');
if (charts) {
  drawCharts(charts, data.charts ?? []);
  // The colours follow the reader's light/dark preference: redraw when it changes.
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => drawCharts(charts, data.charts ?? []));
}
document.getElementById('items')?.replaceChildren(itemTable(data.items ?? { columns: [], rows: [] }));
