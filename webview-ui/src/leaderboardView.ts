/** The leaderboard: pick a benchmark and a metric; runs ranked best first (newest finished run per model). */
import { runStatusLabel } from '../../src/core/outcome';
import type { LeaderboardSnapshot, ToWebview } from '../../src/shared/webviewProtocol';
import { h, percent } from './dom';
import type { HostChannel } from './vscodeApi';

export class LeaderboardView {
  private snapshot: LeaderboardSnapshot | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: HostChannel,
  ) {}

  handle(message: ToWebview): void {
    if (message.method !== 'leaderboardSnapshot') return;
    this.snapshot = message.params.snapshot;
    this.render();
  }

  private render(): void {
    const s = this.snapshot;
    if (!s) return;
    this.root.classList.add('scroll-page');
    if (s.tables.length === 0) {
      this.root.replaceChildren(h('h1', {}, 'Leaderboard'), h('p', { class: 'muted' }, 'No finished runs with scores yet.'));
      return;
    }
    const state = this.host.getState() ?? { kind: 'leaderboard' as const };
    const benchmarks = [...new Set(s.tables.map((t) => t.benchmarkId))];
    const benchmark = benchmarks.includes(state.benchmark ?? '') ? state.benchmark! : benchmarks[0];
    const tables = s.tables.filter((t) => t.benchmarkId === benchmark);
    const current = tables.find((t) => t.metric === state.metric) ?? tables[0];
    const select = (id: string, values: [string, string][], selected: string, onChange: (v: string) => void) =>
      h('select', { class: 'filter', id, onchange: ((e: Event) => onChange((e.target as HTMLSelectElement).value)) as EventListener }, ...values.map(([v, label]) => h('option', { value: v, selected: v === selected }, label)));
    const allRuns = state.allRuns ?? false;
    const rows = (allRuns ? current.allRows : current.rows).map((r) =>
      h(
        'tr',
        { class: 'clickable', title: `Open run ${r.runId}`, onclick: (() => this.host.notify('openRun', { runId: r.runId })) as EventListener },
        h('td', { class: 'num' }, String(r.rank)),
        h('td', {}, r.label),
        h('td', { class: 'num' }, percent(r.value)),
        h('td', { class: 'num' }, String(r.n)),
        h('td', { class: 'muted' }, r.denominator),
        h('td', {}, new Date(r.createdAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' })),
        h('td', { class: `status-${r.status}` }, runStatusLabel(r.status)),
      ),
    );
    this.root.replaceChildren(
      h('header', { class: 'run-header' }, h('h1', {}, 'Leaderboard')),
      h(
        'div',
        { class: 'toolbar' },
        h('label', { for: 'benchmark' }, 'Benchmark '),
        select('benchmark', benchmarks.map((b) => [b, b]), benchmark, (v) => this.choose(v, undefined)),
        h('label', { for: 'metric' }, 'Metric '),
        select('metric', tables.map((t) => [t.metric, t.metricLabel]), current.metric, (v) => this.choose(benchmark, v)),
        h(
          'label',
          { for: 'all-runs' },
          h('input', { type: 'checkbox', id: 'all-runs', checked: allRuns, onchange: ((e: Event) => this.setAllRuns((e.target as HTMLInputElement).checked)) as EventListener }),
          ' Every run',
        ),
      ),
      h('p', { class: 'muted' }, `${allRuns ? 'Every stored run is ranked' : 'The newest finished run of each model counts'}; equal values share a rank. Click a row to open the run.`),
      h('table', { class: 'metrics-table leaderboard-table' }, h('thead', {}, h('tr', {}, ...['Rank', 'Model', current.metricLabel, 'n', 'Samples', 'Started', 'Status'].map((t) => h('th', {}, t)))), h('tbody', {}, ...rows)),
    );
  }

  private setAllRuns(allRuns: boolean): void {
    const state = this.host.getState() ?? { kind: 'leaderboard' as const };
    this.host.setState({ ...state, allRuns });
    this.render();
  }

  private choose(benchmark: string, metric: string | undefined): void {
    const state = this.host.getState() ?? { kind: 'leaderboard' as const };
    this.host.setState({ ...state, benchmark, metric });
    this.render();
  }
}
