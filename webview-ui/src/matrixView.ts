/** The model matrix: metrics × runs (best per row marked), then each item's outcome in every run with a "disagree" filter. */
import { OUTCOME_WORDS } from '../../src/core/outcome';
import type { MatrixOutcome, MatrixSnapshot, ToWebview } from '../../src/shared/webviewProtocol';
import { chartSelector } from './charts/chartsSection';
import { h, percent } from './dom';
import type { HostChannel } from './vscodeApi';

/** An item's cell: a mark and the outcome's tone from core/outcome.ts, its word in the tooltip. */
const MARK: Record<MatrixOutcome, { text: string; className: string; title: string }> = {
  passed: { text: '✓', className: `tone-${OUTCOME_WORDS.passed.tone}`, title: OUTCOME_WORDS.passed.label },
  wrong: { text: '✗', className: `tone-${OUTCOME_WORDS.wrong.tone}`, title: OUTCOME_WORDS.wrong.label },
  request_failed: { text: '!', className: `tone-${OUTCOME_WORDS.request_failed.tone}`, title: `${OUTCOME_WORDS.request_failed.label} (no verdict)` },
  scoring_error: { text: '?', className: `tone-${OUTCOME_WORDS.scoring_error.tone}`, title: `${OUTCOME_WORDS.scoring_error.label} (no verdict)` },
  pending: { text: '…', className: 'muted', title: OUTCOME_WORDS.pending.label },
  absent: { text: '–', className: 'muted', title: 'Not in this run' },
};

export class MatrixView {
  private snapshot: MatrixSnapshot | undefined;
  private disagreeOnly: boolean;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: HostChannel,
  ) {
    this.disagreeOnly = host.getState()?.disagreeOnly ?? false;
    // Paint at once (a panel restored after a reload too); the host's snapshot replaces this.
    root.replaceChildren(h('p', { class: 'muted loading' }, 'Reading the runs…'));
  }

  handle(message: ToWebview): void {
    if (message.method !== 'matrixSnapshot') return;
    this.snapshot = message.params.snapshot;
    this.render();
  }

  private render(): void {
    const s = this.snapshot;
    if (!s) return;
    this.root.classList.add('scroll-page');
    const head = () =>
      h(
        'tr',
        {},
        h('th', {}, ''),
        ...s.columns.map((c) =>
          h('th', { class: 'run-col', title: `${c.runId}\nClick to open the run` }, h('a', { href: '#', onclick: ((e: Event) => this.open(e, c.runId)) as EventListener }, c.label), h('div', { class: 'muted small' }, c.detail)),
        ),
      );
    const metricRows = s.metrics.map((m) =>
      h(
        'tr',
        {},
        h('td', {}, m.label),
        ...m.cells.map((c, i) =>
          h(
            'td',
            { class: `num ${m.best.includes(i) && s.columns.length > 1 ? 'best' : ''}`, title: c ? `${percent(c.value)}, 95% CI ${percent(c.lo)}–${percent(c.hi)}, n = ${c.n}` : 'not measured' },
            c ? percent(c.value) : '–',
            c ? h('span', { class: 'muted small ci' }, ` ${percent(c.lo)}–${percent(c.hi)}`) : null,
          ),
        ),
      ),
    );
    const items = this.disagreeOnly ? s.items.filter((i) => i.disagree) : s.items;
    const checkbox = h('input', { type: 'checkbox', id: 'disagree', checked: this.disagreeOnly, onchange: ((e: Event) => this.setDisagree((e.target as HTMLInputElement).checked)) as EventListener });
    const itemRows = items.map((item) =>
      h(
        'tr',
        { class: item.disagree ? 'disagree' : '' },
        h('td', {}, item.itemId),
        ...item.outcomes.map((o) => h('td', { class: `mark-cell ${MARK[o].className}`, title: MARK[o].title }, MARK[o].text)),
      ),
    );
    this.root.replaceChildren(
      h('header', { class: 'run-header' }, h('h1', {}, `Model matrix · ${s.columns.length} runs`)),
      ...s.warnings.map((w) => h('p', { class: 'error' }, w)),
      h('h2', { class: 'section' }, 'Metrics'),
      h('p', { class: 'muted' }, 'Each cell: the value and its 95% interval. The best run of each row is highlighted.'),
      h('table', { class: 'metrics-table matrix-table' }, h('thead', {}, head()), h('tbody', {}, ...metricRows)),
      ...(s.charts?.length
        ? [
            h('h2', { class: 'section' }, 'Quality against speed'),
            h('p', { class: 'muted' }, 'Each run a point with its 95% interval; the dashed line joins the Pareto front (no run is both faster and better). Click a point to open its run.'),
            chartSelector(s.charts, 'Benchmark', { onOpenRun: (runId) => this.host.notify('openRun', { runId }) }),
          ]
        : []),
      h('h2', { class: 'section' }, 'Items'),
      h(
        'div',
        { class: 'toolbar' },
        h('label', { for: 'disagree' }, checkbox, ' Only items where the runs disagree'),
        h('span', { class: 'count' }, `${s.disagreeing} of ${s.totalItems} items disagree · showing ${items.length}${s.items.length < s.totalItems ? ` (first ${s.items.length} sent)` : ''}`),
      ),
      h('table', { class: 'metrics-table matrix-table items-matrix' }, h('thead', {}, head()), h('tbody', {}, ...itemRows)),
    );
  }

  private setDisagree(value: boolean): void {
    this.disagreeOnly = value;
    const state = this.host.getState();
    if (state) this.host.setState({ ...state, disagreeOnly: value });
    this.render();
  }

  private open(event: Event, runId: string): void {
    event.preventDefault();
    this.host.notify('openRun', { runId });
  }
}
