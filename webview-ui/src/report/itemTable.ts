/** The report's item table: every row's text searchable, rows hidden (not rebuilt) as the query narrows. */
import type { ReportTable } from '../../../src/core/report/reportModel';

/** Long cells (prompts, responses) are cut to this many characters until the row is expanded. */
const PREVIEW = 300;

function cell(text: string): HTMLTableCellElement {
  const td = document.createElement('td');
  if (text.length <= PREVIEW) {
    td.textContent = text;
    return td;
  }
  const details = document.createElement('details');
  const summary = document.createElement('summary');
  summary.textContent = `${text.slice(0, PREVIEW)}…`;
  const full = document.createElement('div');
  full.className = 'full';
  full.textContent = text;
  details.append(summary, full);
  td.append(details);
  return td;
}

export function itemTable(data: ReportTable): HTMLElement {
  const block = document.createElement('div');
  const search = document.createElement('input');
  search.type = 'search';
  search.id = 'item-search';
  search.placeholder = 'Search items: id, outcome, prompt, response, reason…';
  search.setAttribute('aria-label', 'Search items');
  const count = document.createElement('span');
  count.className = 'muted count';
  count.setAttribute('aria-live', 'polite');
  const table = document.createElement('table');
  table.className = 'items';
  const head = table.createTHead().insertRow();
  for (const c of data.columns) {
    const th = document.createElement('th');
    th.textContent = c;
    head.append(th);
  }
  const body = table.createTBody();
  const rows = data.rows.map((r) => {
    const tr = document.createElement('tr');
    tr.append(...r.map(cell));
    body.append(tr);
    return { tr, text: r.join('\n').toLowerCase() };
  });
  const filter = () => {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const row of rows) {
      const match = words.every((w) => row.text.includes(w));
      row.tr.hidden = !match;
      if (match) shown++;
    }
    count.textContent = words.length ? `${shown} of ${rows.length} rows match` : `${rows.length} rows`;
  };
  search.addEventListener('input', filter);
  filter();
  const bar = document.createElement('div');
  bar.className = 'toolbar';
  bar.append(search, count);
  block.append(bar, table);
  return block;
}
