/**
 * The comparison panel: warnings next to the result; every metric with A, B, B − A, its interval,
 * p-value and a sentence; per instruction type and per failure cause; speed; then the flipped items
 * (click one for the native diff editor over both responses).
 */
import { OUTCOME_WORDS, causeWords, type SampleOutcome } from '../../src/core/outcome';
import type { CompareItemRow, CompareSnapshot, CompareStatsView, PairwiseView, SpeedView, ToWebview } from '../../src/shared/webviewProtocol';
import { chartsSection } from './charts/chartsSection';
import { h, percent, points, pValue, table } from './dom';
import type { HostChannel } from './vscodeApi';
import { VirtualTable } from './virtualTable';

const CHANGE_TEXT: Record<CompareItemRow['change'], [string, string]> = {
  fixed: ['fixed in B', 'status-done'],
  broken: ['broken in B', 'status-failed'],
  'same-pass': ['both passed', 'muted'],
  'same-wrong': ['both wrong', 'muted'],
  'only-a': ['only in A', 'muted'],
  'only-b': ['only in B', 'muted'],
};

type Row = CompareItemRow & { key: string };

export class CompareView {
  private readonly table: VirtualTable<Row>;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: HostChannel,
  ) {
    // Paint at once (a panel restored after a reload too); the host's snapshot replaces this.
    root.replaceChildren(h('header', { class: 'run-header' }, h('h1', {}, 'Compare runs'), h('p', { class: 'muted loading' }, 'Reading both run files…')));
    this.table = new VirtualTable<Row>(
      [
        { title: 'Item', className: 'c-id', render: (r) => r.itemId },
        { title: 'Change', className: 'c-status', render: (r) => h('span', { class: `pill ${CHANGE_TEXT[r.change][1]}` }, CHANGE_TEXT[r.change][0]) },
        { title: 'Prompt', className: 'c-prompt', render: (r) => r.promptPreview },
      ],
      (row) => this.host.notify('openDiff', { itemId: row.itemId }),
      () => undefined,
    );
  }

  /** The earliest-diverging items, each a link to both replies in the diff editor. */
  private earliest(items: { itemId: string; at: number }[]): HTMLElement {
    const links = items.map((e) => h('a', { href: '#', onclick: ((ev: Event) => (ev.preventDefault(), this.host.notify('openDiff', { itemId: e.itemId }))) as EventListener }, `${e.itemId} (char ${e.at})`));
    return h('p', { class: 'drift' }, items.length ? 'Earliest to diverge: ' : '', ...links.flatMap((link, i) => (i ? [', ', link] : [link])));
  }

  handle(message: ToWebview): void {
    if (message.method === 'compareSnapshot') this.render(message.params.snapshot);
  }

  private render(s: CompareSnapshot): void {
    this.root.classList.add('scroll-page');
    // Only items whose outcome changed between A and B; the counts say which way.
    const flipped = s.items.filter((i) => i.change === 'fixed' || i.change === 'broken');
    const fixed = flipped.filter((i) => i.change === 'fixed').length;
    const broken = flipped.length - fixed;
    const swap = h('vscode-button', { secondary: true, title: 'Show the same two runs the other way round: B becomes A', onclick: (() => this.host.notify('swapSides', {})) as EventListener }, 'Swap A and B');
    this.root.replaceChildren(
      h('header', { class: 'run-header' }, h('h1', {}, 'Compare runs'), h('div', { class: 'facts' }, side('A', s.a), side('B', s.b)), h('div', { class: 'actions' }, swap)),
      ...(s.stats ? statsSections(s.stats) : [simpleMetrics(s), ...s.summary.map((line) => h('p', { class: line.startsWith('Warning') ? 'error' : '' }, line))]),
      ...(s.charts?.length ? [h('h2', { class: 'section' }, 'Charts'), chartsSection(s.charts)] : []),
      ...(s.pairwise ? pairwiseSection(s.pairwise) : []),
      ...(s.drift?.length ? [h('h2', { class: 'section' }, 'Drift from A'), ...s.drift.map((line) => h('p', { class: 'drift' }, line)), this.earliest(s.driftEarliest ?? [])] : []),
      h('h2', { class: 'section' }, `Items that flipped: ${fixed} fixed in B (A ✗ → B ✓), ${broken} broken in B (A ✓ → B ✗)`),
      h('p', { class: 'muted' }, s.summary[0] ?? '', flipped.length > 0 ? ' Click an item to open both responses in the diff editor.' : ' No item changed outcome.'),
      h('div', { class: 'compare-table' }, this.table.element),
    );
    this.table.setRows(flipped.map((i) => ({ ...i, key: i.itemId })));
  }
}

function statsSections(st: CompareStatsView): HTMLElement[] {
  const level = `${Math.round(st.confidence * 100)}% CI`;
  const sections: HTMLElement[] = [];
  sections.push(
    st.warnings.length > 0
      ? h('div', { class: 'warnings' }, h('strong', {}, 'Not directly comparable:'), h('ul', {}, ...st.warnings.map((w) => h('li', {}, w))))
      : h('p', { class: 'comparable' }, '✓ Comparable: same benchmark version, dataset, items, prompt mode, sampling settings, max tokens and samples per item.'),
  );
  const metricRows = st.metrics.flatMap((m) => [
    h(
      'tr',
      { class: m.significant ? 'significant' : '' },
      h('td', {}, m.label),
      h('td', { class: 'num' }, percent(m.a)),
      h('td', { class: 'num' }, percent(m.b)),
      h('td', { class: `num ${deltaClass(m.delta, m.significant)}` }, `${points(m.delta)} pts`),
      h('td', { class: 'num' }, Number.isFinite(m.ciLo) ? `${points(m.ciLo)} to ${points(m.ciHi)}` : '–'),
      h('td', { class: 'num' }, pValue(m.pValue)),
      h('td', { class: 'muted' }, m.significant ? `significant · ${m.test}` : `not significant · ${m.test}`),
    ),
    h('tr', { class: 'sentence-row' }, h('td', { colspan: 7, class: 'muted' }, m.sentence)),
  ]);
  sections.push(
    h('h2', { class: 'section' }, 'Metrics (B − A)'),
    h('p', { class: 'muted' }, `${st.itemsLine}. Points on a 0–100 scale; ${level} of B − A.`),
    h(
      'table',
      { class: 'metrics-table stats-table' },
      h('thead', {}, h('tr', {}, ...['Metric', 'A', 'B', 'B − A', level, 'p'].map((t) => h('th', {}, t)), h('th', { class: 'text' }, 'Verdict · test'))),
      h('tbody', {}, ...metricRows),
    ),
  );
  const breakdowns: HTMLElement[] = [];
  if (st.instructions && st.instructions.length > 0) {
    breakdowns.push(
      h(
        'div',
        { class: 'breakdown' },
        h('h3', {}, 'By instruction type (strict, most worsened first)'),
        table(
          ['Instruction', 'n', 'A', 'B', 'B − A', 'p'],
          st.instructions.map((r) => [r.instruction, String(r.total), percent(r.a), percent(r.b), [`${points(r.delta)} pts`, deltaClass(r.delta, r.pValue < 1 - st.confidence)], pValue(r.pValue)]),
          'scroll-table',
        ),
      ),
    );
  }
  breakdowns.push(
    h(
      'div',
      { class: 'breakdown' },
      // Wrong answers are here too, with their cause: "failed" would call them request failures (see core/outcome).
      h('h3', {}, 'By failure cause (every sample that did not pass)'),
      st.failureCauses.length === 0
        ? h('p', { class: 'muted' }, 'No wrong answer, request failure or scoring error in either run.')
        : table(['Cause', 'A', 'B', 'B − A'], st.failureCauses.map((r) => [`${OUTCOME_WORDS[r.outcome as SampleOutcome]?.label ?? r.outcome}: ${causeWords(r.cause)}`, String(r.a), String(r.b), [signed(r.delta), r.delta > 0 ? 'status-failed' : r.delta < 0 ? 'status-done' : '']])),
    ),
    h('div', { class: 'breakdown' }, h('h3', {}, 'Speed'), speedTable(st.speed.a, st.speed.b)),
  );
  sections.push(h('div', { class: 'breakdowns' }, ...breakdowns));
  return sections;
}

function speedTable(a: SpeedView, b: SpeedView): HTMLElement {
  const ms = (v: number | undefined) => (v === undefined ? '–' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);
  const rate = (v: number | undefined) => (v === undefined ? '–' : v.toFixed(1));
  const wall = (v: number | undefined) => (v === undefined ? '–' : v < 60_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.floor(v / 60_000)}m ${Math.round((v % 60_000) / 1000)}s`);
  const rows: [string, string, string][] = [
    ['Latency p50', ms(a.latencyP50), ms(b.latencyP50)],
    ['Latency p90', ms(a.latencyP90), ms(b.latencyP90)],
    ['Latency p99', ms(a.latencyP99), ms(b.latencyP99)],
    ['Tokens/s per request', rate(a.tokensPerSecond), rate(b.tokensPerSecond)],
    ['Throughput tokens/s', rate(a.throughputTokensPerSecond), rate(b.throughputTokensPerSecond)],
    ['Wall time', wall(a.wallTimeMs), wall(b.wallTimeMs)],
    ['Timed samples', String(a.samples), String(b.samples)],
  ];
  return table(['', 'A', 'B'], rows);
}

function simpleMetrics(s: CompareSnapshot): HTMLElement {
  return table(
    ['Metric', 'A', 'B', 'B − A'],
    s.metrics.map((m) => [m.label, percent(m.a), percent(m.b), m.delta === undefined ? '–' : [`${points(m.delta)} pts`, deltaClass(m.delta, false)]]),
  );
}

function deltaClass(delta: number, significant: boolean): string {
  if (!significant || delta === 0) return delta === 0 ? '' : 'muted';
  return delta > 0 ? 'status-done' : 'status-failed';
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0';
}

function side(name: string, run: CompareSnapshot['a']): HTMLElement {
  return h('span', { class: 'fact' }, h('strong', {}, `${name}: `), `${run.model}${run.modelFile ? ` (${run.modelFile})` : ''} · ${run.benchmark} · ${run.runId}`);
}

/** The pairwise LLM judge: each item judged in both orders, only verdicts that survive the swap count. */
function pairwiseSection(p: PairwiseView): HTMLElement[] {
  const consistent = p.win + p.tie + p.loss;
  return [
    h('h2', { class: 'section' }, `Pairwise judge (${p.judgeModel}): B against A`),
    h('p', { class: 'muted' }, `Each item was judged twice, with the replies in both orders; a verdict counts only when it is the same both ways. ${p.inconsistent} of ${p.judged} items were inconsistent (position bias) and ${p.noVerdict} got no verdict; they are not counted.`),
    table(
      ['Win', 'Tie', 'Loss', 'Consistent items', 'B\u2019s win rate (tie = \u00bd)', '95% CI'],
      [[String(p.win), String(p.tie), String(p.loss), String(consistent), p.winRate ? percent(p.winRate.estimate) : '–', p.winRate ? `${percent(p.winRate.lo)} to ${percent(p.winRate.hi)}` : 'no consistent verdict']],
    ),
  ];
}
