/**
 * Draws a chart specification (src/core/charts) with Observable Plot into a <figure>: the SVG, then
 * its text alternative (the table it draws) in a <details>. Used by the panels and the HTML report.
 */
import * as Plot from '@observablehq/plot';
import type { AltTable, ChartSpec, DeltaBarsChart, EcdfChart, FlipsChart, TradeoffChart } from '../../../src/core/charts/types';
import { chartColors, type ChartColors } from './themeColors';

export interface ChartOptions {
  /** Width in CSS pixels (the container's width when known). */
  width?: number;
  /** A click on a run's point (the quality–speed chart). */
  onOpenRun?: (runId: string) => void;
}

const FONT = 'var(--vscode-font-family, system-ui, sans-serif)';

function altTable(alt: AltTable): HTMLElement {
  const details = document.createElement('details');
  details.className = 'chart-alt';
  const summary = document.createElement('summary');
  summary.textContent = 'Table of this chart';
  const table = document.createElement('table');
  table.className = 'chart-alt-table';
  const caption = table.createCaption();
  caption.textContent = alt.caption;
  const head = table.createTHead().insertRow();
  for (const c of alt.columns) {
    const th = document.createElement('th');
    th.textContent = c;
    head.append(th);
  }
  const body = table.createTBody();
  for (const row of alt.rows) {
    const tr = body.insertRow();
    for (const cell of row) tr.insertCell().textContent = cell;
  }
  details.append(summary, table);
  return details;
}

/** Room on the left for the longest category label (about 6.5 px per character at 11 px). */
function labelMargin(labels: string[]): number {
  return Math.min(280, Math.max(60, Math.max(0, ...labels.map((l) => l.length)) * 6.5 + 12));
}

function deltaBars(spec: DeltaBarsChart, c: ChartColors, width: number): Element {
  const labels = spec.bars.map((b) => b.label);
  const withCi = spec.bars.filter((b) => b.lo !== undefined && b.hi !== undefined);
  return Plot.plot({
    width, height: 28 * spec.bars.length + 50, marginLeft: labelMargin(labels), style: { fontFamily: FONT, fontSize: '11px', color: c.foreground },
    ariaLabel: spec.title, ariaDescription: spec.alt.caption,
    x: {
      label: spec.unit === 'points' ? 'B − A (points)' : spec.unit === 'samples' ? 'B − A (samples)' : 'value (%)', grid: true, nice: true,
      domain: spec.unit === 'percent' ? [0, 100] : undefined,
      // Counts: whole-number ticks only.
      ticks: spec.unit === 'samples' ? Math.max(1, Math.min(10, Math.ceil(Math.max(...spec.bars.map((b) => Math.abs(b.delta)))))) : undefined,
    },
    y: { domain: labels, label: null },
    marks: [
      // Plain values (a run's metrics) in one colour; differences coloured by direction.
      // More samples that did not pass (unit "samples") is worse; a higher metric is better.
      Plot.barX(spec.bars.filter((b) => b.delta < 0), { x: 'delta', y: 'label', fill: spec.unit === 'samples' ? c.better : c.worse, fillOpacity: 0.75 }),
      Plot.barX(spec.bars.filter((b) => b.delta >= 0), { x: 'delta', y: 'label', fill: spec.unit === 'percent' ? c.a : spec.unit === 'samples' ? c.worse : c.better, fillOpacity: 0.75 }),
      Plot.ruleY(withCi, { y: 'label', x1: 'lo', x2: 'hi', stroke: c.foreground, strokeWidth: 1.5 }),
      Plot.tickX(withCi, { y: 'label', x: 'lo', stroke: c.foreground }),
      Plot.tickX(withCi, { y: 'label', x: 'hi', stroke: c.foreground }),
      Plot.ruleX([0], { stroke: c.foreground }),
    ],
  });
}

function ecdf(spec: EcdfChart, c: ChartColors, width: number): Element {
  const colors = [c.a, c.b];
  const steps = spec.series.map((s) => s.values.map((x, i) => ({ x, y: (i + 1) / s.values.length, series: s.name })));
  return Plot.plot({
    width, height: 240, style: { fontFamily: FONT, fontSize: '11px', color: c.foreground },
    ariaLabel: spec.title, ariaDescription: spec.alt.caption,
    x: { label: spec.xLabel, grid: true },
    y: { label: 'share of requests', domain: [0, 1], grid: true, tickFormat: '.0%' },
    marks: [
      ...steps.map((points, i) => Plot.line(points, { x: 'x', y: 'y', stroke: colors[i % 2], strokeWidth: 2, curve: 'step-after' })),
      ...steps.map((points, i) =>
        Plot.text(points.slice(-1), { x: 'x', y: 'y', text: () => spec.series[i].name, dx: 8, dy: i === 0 ? -6 : 6, textAnchor: 'start', fill: c.foreground, fontWeight: 'bold' }),
      ),
    ],
  });
}

/** The flips chart's axis words: judged items only, so an item that did not pass is a wrong answer, not a failure. */
const OUTCOME_TICK: Record<string, string> = { pass: 'passes', wrong: 'wrong' };

function flips(spec: FlipsChart, c: ChartColors): Element {
  const tint = (cell: FlipsChart['cells'][number]) => (cell.label === 'broken in B' ? c.worse : cell.label === 'fixed in B' ? c.better : c.foreground);
  return Plot.plot({
    width: 320, height: 200, marginLeft: 70, style: { fontFamily: FONT, fontSize: '12px', color: c.foreground },
    ariaLabel: spec.title, ariaDescription: spec.alt.caption,
    x: { domain: ['pass', 'wrong'], label: null, axis: 'top', tickFormat: (v: string) => `B ${OUTCOME_TICK[v]}` },
    y: { domain: ['pass', 'wrong'], label: null, tickFormat: (v: string) => `A ${OUTCOME_TICK[v]}` },
    marks: [
      ...spec.cells.map((cell) => Plot.cell([cell], { x: 'b', y: 'a', fill: tint(cell), fillOpacity: 0.12, stroke: c.foreground, inset: 2 })),
      Plot.text(spec.cells, { x: 'b', y: 'a', text: (d: FlipsChart['cells'][number]) => `${d.count}\n${d.label}`, fill: c.foreground, fontSize: 13, lineHeight: 1.3 }),
    ],
  });
}

function sizeText(p: TradeoffChart['points'][number]): string {
  const size = p.sizeBytes === undefined ? '' : p.sizeBytes >= 1e9 ? `${(p.sizeBytes / 1e9).toFixed(1)} GB` : `${(p.sizeBytes / 1e6).toFixed(0)} MB`;
  return [p.quantization, size].filter(Boolean).join(' · ');
}

function tradeoff(spec: TradeoffChart, c: ChartColors, width: number): Element {
  const front = spec.points.filter((p) => p.onFront).sort((x, y) => x.speed - y.speed);
  const sized = spec.points.some((p) => p.sizeBytes !== undefined);
  return Plot.plot({
    width, height: 340, marginRight: 40, marginTop: 30, style: { fontFamily: FONT, fontSize: '11px', color: c.foreground },
    ariaLabel: spec.title, ariaDescription: spec.alt.caption,
    x: { label: spec.xLabel, grid: true, nice: true, inset: 30 },
    y: { label: `${spec.metricLabel} (%)`, grid: true, nice: true, inset: 10 },
    r: sized ? { range: [5, 14] } : undefined,
    marks: [
      Plot.line(front, { x: 'speed', y: 'value', stroke: c.accent, strokeWidth: 2, strokeDasharray: '6 4' }),
      Plot.ruleX(spec.points, { x: 'speed', y1: 'lo', y2: 'hi', stroke: c.foreground, strokeWidth: 1.5 }),
      Plot.dot(spec.points, {
        x: 'speed', y: 'value', r: sized ? (p: TradeoffChart['points'][number]) => p.sizeBytes ?? 0 : 6,
        fill: (p: TradeoffChart['points'][number]) => (p.onFront ? c.accent : c.a), stroke: c.foreground,
        href: (p: TradeoffChart['points'][number]) => `#run:${p.runId}`,
        title: (p: TradeoffChart['points'][number]) => `${p.label}\n${p.value.toFixed(1)}% (95% CI ${p.lo.toFixed(1)}–${p.hi.toFixed(1)}), n = ${p.n}\n${p.speed.toFixed(1)} · ${sizeText(p)}\nClick to open the run`,
      }),
      Plot.text(spec.points, {
        x: 'speed', y: 'value', text: (p: TradeoffChart['points'][number]) => [p.label, sizeText(p)].filter(Boolean).join('\n'),
        dy: -16, fill: c.foreground, lineAnchor: 'bottom', fontSize: 11,
      }),
    ],
  });
}

function draw(spec: ChartSpec, c: ChartColors, width: number): Element {
  switch (spec.kind) {
    case 'deltaBars':
      return deltaBars(spec, c, width);
    case 'ecdf':
      return ecdf(spec, c, width);
    case 'flips':
      return flips(spec, c);
    case 'tradeoff':
      return tradeoff(spec, c, width);
  }
}

/** The width of one cell of the `.charts` grid (CSS: auto-fit, minmax(520px, 1fr), 24px gap) of a given width. */
export function gridCellWidth(gridWidth: number, count: number, min = 520, gap = 24): number {
  const columns = Math.max(1, Math.min(count, Math.floor((gridWidth + gap) / (min + gap))));
  return Math.floor((gridWidth - gap * (columns - 1)) / columns);
}

export function renderChart(spec: ChartSpec, options: ChartOptions = {}): HTMLElement {
  const figure = document.createElement('figure');
  figure.className = `chart chart-${spec.kind}`;
  figure.dataset.chart = spec.id;
  const title = document.createElement('figcaption');
  title.textContent = spec.title;
  const width = Math.max(320, Math.min(900, options.width ?? 640));
  const svg = draw(spec, chartColors(), width);
  // Plot puts a <style> of its default rules into every SVG; the panels' CSP (style-src
  // cspSource only) refuses inline <style> and logs a violation per chart. Those rules live in
  // styles.css and report.css instead (".chart svg"), so the element goes before it is attached.
  svg.querySelector(':scope > style')?.remove();
  svg.setAttribute('role', 'img');
  figure.append(title, svg, altTable(spec.alt));
  if (spec.kind === 'tradeoff') {
    if (spec.missing.length > 0) {
      const note = document.createElement('p');
      note.className = 'muted chart-note';
      note.textContent = `Not drawn: ${spec.missing.map((m) => `${m.label} (${m.reason})`).join('; ')}.`;
      figure.append(note);
    }
    const open = options.onOpenRun;
    figure.addEventListener('click', (event) => {
      const link = (event.target as Element).closest('a');
      const href = link?.getAttribute('href') ?? '';
      if (!href.startsWith('#run:')) return;
      event.preventDefault();
      open?.(href.slice('#run:'.length));
    });
  }
  return figure;
}
