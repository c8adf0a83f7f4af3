/** The run panel: header, live progress, filterable items table, item detail. */
import type { ItemDetail, ItemRow, ProgressView, RunSnapshot, ToWebview, WebviewState } from '../../src/shared/webviewProtocol';
import {
  OUTCOME_WORDS,
  RUN_STATUS_WORDS,
  causeWords,
  denominatorText,
  errorCount,
  finishedCount,
  headlineText,
  judgedCount,
  runStatusLabel,
  type SampleOutcome,
} from '../../src/core/outcome';
import { duration, h, nodes, percent } from './dom';
import { filterOptions, visibleRows, type SortKey } from './rowFilter';
import type { HostChannel } from './vscodeApi';
import { VirtualTable, type Column } from './virtualTable';

/** The table's result pills say the outcome in the words of core/outcome.ts; a sample on its way reads "…". */
function pillText(outcome: SampleOutcome, running: boolean): string {
  return outcome === 'pending' && running ? '…' : OUTCOME_WORDS[outcome].label.toLowerCase();
}

export class RunView {
  private readonly rows = new Map<string, ItemRow>();
  private progress: ProgressView | undefined;
  private filter = 'all';
  private search = '';
  private sort: SortKey = 'index';
  private descending = false;
  private selectedKey: string | undefined;
  private readonly table: VirtualTable<ItemRow>;
  private readonly headerEl = h('header', { class: 'run-header' });
  private readonly progressEl = h('section', { class: 'progress' });
  private readonly filterEl = h('select', { class: 'filter', 'aria-label': 'Filter items' });
  private readonly countEl = h('span', { class: 'count' });
  private readonly detailEl = h('section', { class: 'detail' }, h('p', { class: 'muted' }, 'Select an item to see its prompt, response and its outcome with the reason.'));
  private filterSignature = '';
  private runId: string;
  private remembered: WebviewState['header'];

  constructor(
    root: HTMLElement,
    private readonly host: HostChannel,
    runId: string,
  ) {
    this.runId = runId;
    const state = host.getState();
    this.remembered = state?.header?.runId === runId ? state.header : undefined;
    this.filter = state?.filter ?? 'all';
    this.search = state?.search ?? '';
    this.selectedKey = state?.selectedKey;

    const columns: Column<ItemRow>[] = [
      { title: '#', className: 'c-index', render: (r) => String(r.index + 1), sortKey: 'index' },
      { title: 'Item', className: 'c-id', render: (r) => (r.sampleIndex > 0 ? `${r.itemId} ·${r.sampleIndex + 1}` : r.itemId), sortKey: 'id' },
      { title: 'Result', className: 'c-status', render: (row) => statusCell(row, this.progress?.status === 'running' || this.progress === undefined), sortKey: 'status' },
      { title: 'Why', className: 'c-why', render: (r) => r.failedChecks.join(', ') || r.failureCause || '' },
      { title: 'Prompt', className: 'c-prompt', render: (r) => r.promptPreview },
      { title: 'Latency', className: 'c-latency', render: (r) => (r.latencyMs !== undefined ? `${(r.latencyMs / 1000).toFixed(1)}s` : ''), sortKey: 'latency' },
    ];
    this.table = new VirtualTable(columns, (row) => this.selectRow(row.key), (key) => this.setSort(key as SortKey));

    this.filterEl.addEventListener('change', () => {
      this.filter = this.filterEl.value;
      this.saveState();
      this.refreshTable();
    });
    const searchEl = h('vscode-textfield', { class: 'search', placeholder: 'Search id or prompt', value: this.search, 'aria-label': 'Search items' });
    searchEl.addEventListener('input', () => {
      this.search = (searchEl as unknown as { value?: string }).value ?? '';
      this.saveState();
      this.refreshTable();
    });
    const toolbar = h('div', { class: 'toolbar' }, this.filterEl, searchEl, this.countEl);
    const main = h('div', { class: 'split' }, h('div', { class: 'table-pane' }, toolbar, this.table.element), this.detailEl);
    // Paint at once: the header remembered from last time (a panel restored after a reload), until the run file is read.
    const r = this.remembered;
    this.headerEl.replaceChildren(
      ...(r ? [h('h1', {}, r.model, h('span', { class: 'muted' }, ` · ${r.benchmark}`)), h('p', { class: 'muted' }, r.line)] : []),
      h('p', { class: 'muted loading' }, 'Reading the run file…'),
    );
    root.replaceChildren(this.headerEl, this.progressEl, main);
  }

  handle(message: ToWebview): void {
    if (message.method === 'runSnapshot') this.applySnapshot(message.params.snapshot);
    else if (message.method === 'runUpdate') {
      const { rows, progress } = message.params;
      for (const row of rows) this.rows.set(row.key, row);
      this.progress = progress;
      this.renderProgress();
      this.refreshTable();
      if (this.selectedKey && rows.some((r) => r.key === this.selectedKey)) void this.loadDetail(this.selectedKey);
    }
  }

  private applySnapshot(snapshot: RunSnapshot): void {
    this.runId = snapshot.header.runId;
    this.rows.clear();
    for (const row of snapshot.rows) this.rows.set(row.key, row);
    this.progress = snapshot.progress;
    const hd = snapshot.header;
    this.headerEl.replaceChildren(
      ...nodes(
      h('h1', {}, `${hd.model}`, h('span', { class: 'muted' }, ` · ${hd.benchmark}`)),
      h(
        'div',
        { class: 'facts' },
        fact('Server', hd.baseUrl),
        hd.serverFacts.length ? fact('Server facts', hd.serverFacts.join(', ')) : null,
        fact('Sampling', hd.sampling.join(', ') + (hd.samplesPerItem > 1 ? `, ${hd.samplesPerItem} samples per item` : '')),
        fact('Run', `${hd.runId} · ${new Date(hd.createdAt).toLocaleString()}`),
        hd.sandbox ? fact('Generated code ran in', hd.sandbox.join('; ')) : null,
      ),
      hd.error ? h('p', { class: 'error' }, hd.error) : null,
      ),
    );
    const headline = snapshot.progress.metrics[0];
    this.remembered = {
      runId: hd.runId,
      model: hd.model,
      benchmark: hd.benchmark,
      line: `${runStatusLabel(snapshot.progress.status)}${headline ? ` · ${headline.label} ${headlineText(headline, snapshot.progress.counts)}` : ''} · ${hd.runId}`,
    };
    this.saveState();
    this.renderProgress();
    this.refreshTable();
    this.table.select(this.selectedKey, true);
    if (this.selectedKey) void this.loadDetail(this.selectedKey);
  }

  private renderProgress(): void {
    const p = this.progress;
    if (!p) return;
    const c = p.counts;
    const finished = finishedCount(c);
    const bar = h('vscode-progress-bar', { class: 'bar', max: Math.max(1, p.total), value: finished, 'aria-label': 'Run progress' });
    const actions = h('div', { class: 'actions' });
    if (p.status === 'running') actions.append(button('Cancel', () => this.host.notify('command', { command: 'cancelRun' }), 'secondary'));
    else {
      // Resume also scores again the replies whose scoring failed (a scoring error is not a verdict).
      if ((p.status !== 'done' && finished < p.total) || c.scoring_error > 0) actions.append(button('Resume', () => this.host.notify('command', { command: 'resumeRun' })));
      if (c.request_failed > 0) actions.append(button(`Retry ${c.request_failed} Failed Request${c.request_failed === 1 ? '' : 's'}`, () => this.host.notify('command', { command: 'rerunFailed' })));
      if (c.wrong > 0) actions.append(button('Re-ask Wrong Answers…', () => this.host.notify('command', { command: 'reaskWrong' }), 'secondary'));
      actions.append(button('Compare with…', () => this.host.notify('openDiff', { itemId: '' }), 'secondary'));
      actions.append(button('Export', () => this.host.notify('command', { command: 'exportRun' }), 'secondary'));
    }
    const stats = h(
      'div',
      { class: 'stats' },
      stat('Status', runStatusLabel(p.status), `status-${p.status} tone-${RUN_STATUS_WORDS[p.status]?.tone ?? 'neutral'}`),
      stat('Finished', `${finished} / ${p.total}`),
      stat('Judged', String(judgedCount(c)), undefined, 'passed + wrong: the samples metrics are computed over'),
      stat(OUTCOME_WORDS.request_failed.label, String(c.request_failed), c.request_failed ? 'tone-error' : undefined),
      c.scoring_error ? stat(OUTCOME_WORDS.scoring_error.label, String(c.scoring_error), 'tone-error') : null,
      stat('In flight', String(p.inFlight)),
      p.status === 'running' ? stat('Rate', `${p.itemsPerSecond.toFixed(1)} /s`) : null,
      p.status === 'running' ? stat('ETA', duration(p.etaSeconds)) : null,
    );
    const metrics = h('div', { class: 'metrics' }, ...p.metrics.map((m, i) => stat(m.label, m.n > 0 ? percent(m.value) : '–', i === 0 ? 'headline' : undefined, `n = ${m.n}`)));
    // Every metric is over the judged samples only; say so, with what was left out.
    const denominator = h('p', { class: `denominator ${errorCount(c) ? 'tone-error' : 'muted'}` }, `Metrics are over the judged samples: ${denominatorText(c).replace(/^of /, '')}`);
    this.progressEl.replaceChildren(bar, h('div', { class: 'progress-row' }, stats, actions), metrics, denominator);
  }

  private refreshTable(): void {
    const options = filterOptions(this.rows.values());
    const signature = options.map((o) => o.label).join('|');
    if (signature !== this.filterSignature) {
      this.filterSignature = signature;
      if (!options.some((o) => o.value === this.filter)) options.push({ value: this.filter, label: `${this.filter} (0)` });
      this.filterEl.replaceChildren(...options.map((o) => h('option', { value: o.value, selected: o.value === this.filter }, o.label)));
      this.filterEl.value = this.filter;
    }
    const rows = visibleRows(this.rows.values(), this.filter, this.search, this.sort, this.descending);
    this.countEl.textContent = `${rows.length} shown`;
    this.table.setRows(rows);
  }

  private setSort(key: SortKey): void {
    this.descending = this.sort === key ? !this.descending : false;
    this.sort = key;
    this.refreshTable();
  }

  private selectRow(key: string): void {
    this.selectedKey = key;
    this.table.select(key);
    this.saveState();
    void this.loadDetail(key);
  }

  private async loadDetail(key: string): Promise<void> {
    try {
      const detail = await this.host.request('itemDetail', { key });
      if (detail.key === this.selectedKey) this.renderDetail(detail);
    } catch (error) {
      this.detailEl.replaceChildren(h('p', { class: 'error' }, `Could not load ${key}: ${(error as Error).message}`));
    }
  }

  private renderDetail(d: ItemDetail): void {
    const verdict = OUTCOME_WORDS[d.outcome].label;
    const verdictClass = `tone-${OUTCOME_WORDS[d.outcome].tone}`;
    const facts = [
      d.failureCause ? `cause: ${causeWords(d.failureCause)}` : '',
      d.finishReason ? `finish: ${d.finishReason}` : '',
      d.truncated ? 'cut at max_tokens' : '',
      d.completionTokens !== undefined ? `${d.completionTokens} token${d.completionTokens === 1 ? '' : 's'}` : '',
      d.latencyMs !== undefined ? `${(d.latencyMs / 1000).toFixed(2)} s` : '',
    ].filter(Boolean);
    const explanation = d.explanation.length
      ? h(
          'ul',
          { class: 'explanation' },
          ...d.explanation.map((e) =>
            h('li', { class: e.passed ? 'pass' : 'fail' }, h('span', { class: 'mark', 'data-mark': e.passed ? '✓' : '✗', 'aria-label': e.passed ? 'followed' : 'not followed' }), h('strong', {}, e.check + (e.mode ? ` (${e.mode})` : '')), ` ${e.detail}`),
          ),
        )
      : null;
    const response = d.response ?? '';
    this.detailEl.replaceChildren(
      ...nodes(
      h('h2', {}, d.itemId + (d.sampleIndex > 0 ? ` · sample ${d.sampleIndex + 1}` : ''), ' ', h('span', { class: `verdict ${verdictClass}` }, verdict)),
      facts.length ? h('p', { class: 'muted' }, facts.join(' · ')) : null,
      d.error ? h('p', { class: 'error' }, d.error) : null,
      explanation ? h('h3', {}, 'Why') : null,
      explanation,
      h('h3', {}, 'Prompt ', button('Open in editor', () => this.host.notify('openInEditor', { key: d.key, part: 'prompt' }), 'secondary')),
      h('pre', { class: 'text' }, clip(d.prompt)),
      h('h3', {}, 'Response ', d.response !== undefined ? button('Open in editor', () => this.host.notify('openInEditor', { key: d.key, part: 'response' }), 'secondary') : null),
      d.response !== undefined ? h('pre', { class: 'text' }, clip(response)) : h('p', { class: 'muted' }, 'No response stored.'),
      ),
    );
  }

  private saveState(): void {
    this.host.setState({ kind: 'run', runId: this.runId, filter: this.filter, search: this.search, selectedKey: this.selectedKey, header: this.remembered });
  }
}

/** Very long texts are cut in the panel; "Open in editor" shows them whole. */
function clip(text: string): string {
  return text.length > 20_000 ? `${text.slice(0, 20_000)}\n… (${text.length - 20_000} more characters: Open in editor)` : text;
}

/** A pending row is "…" while the run goes on, and "pending" once it stopped (cancelled, interrupted, failed). */
function statusCell(row: ItemRow, running: boolean): Node {
  const stopped = row.outcome === 'pending' && !running;
  const title = stopped ? 'Pending: the run stopped before this sample was asked or scored (Resume finishes it)' : OUTCOME_WORDS[row.outcome].label;
  return h('span', { class: `pill tone-${OUTCOME_WORDS[row.outcome].tone}`, title }, pillText(row.outcome, running));
}

function fact(label: string, value: string): HTMLElement {
  return h('span', { class: 'fact' }, h('span', { class: 'muted' }, `${label}: `), value);
}

function stat(label: string, value: string, cls?: string, title?: string): HTMLElement {
  return h('div', { class: `stat ${cls ?? ''}`, title }, h('div', { class: 'stat-value' }, value), h('div', { class: 'stat-label' }, label));
}

export function button(label: string, onClick: () => void, appearance?: 'secondary'): HTMLElement {
  return h('vscode-button', { secondary: appearance === 'secondary', onclick: onClick as EventListener }, label);
}
