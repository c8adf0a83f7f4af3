/**
 * A run as JUnit XML, so CI systems show it like a test run: one testcase per item, a <failure> when
 * most of its judged samples were wrong (message = why), an <error> when no sample was judged (request
 * failures, scoring errors: type = the failure cause), <skipped> while it is pending.
 */
import { OUTCOME_WORDS, sampleFailureCause, sampleOutcome, wrongAnswerCause } from '../outcome';
import type { SampleRecord } from '../storage/types';
import { orderedItemIds, passFraction, runLabel, scoresByItem, type RunData } from '../compare/runData';
import { explain } from './markdown';

/**
 * Text as XML 1.0 allows it: & < > " ' escaped; characters XML cannot hold (C0 controls other than
 * tab/LF/CR, U+FFFE/U+FFFF, lone surrogates) replaced by U+FFFD so the file always parses.
 */
export function xmlEscape(value: unknown, attribute = false): string {
  const text = value === undefined || value === null ? '' : String(value);
  let out = text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
  // In attributes, parsers normalise raw whitespace to spaces; character references keep it.
  if (attribute) out = out.replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
  return out;
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

export function renderJunit(data: RunData): string {
  const { run } = data;
  const scored = scoresByItem(data);
  const samplesByItem = new Map<string, SampleRecord[]>();
  for (const s of data.samples) samplesByItem.set(s.itemId, [...(samplesByItem.get(s.itemId) ?? []), s]);
  // Every item of the run: judged ones, and those whose samples all failed or are pending.
  const ids = orderedItemIds(data, new Map([...data.items.map((i) => [i.id, true] as const), ...[...samplesByItem.keys()].map((id) => [id, true] as const)]));
  const suiteName = `${run.config.benchmarkId} ${runLabel(run)}`;
  const className = `${run.config.benchmarkId}.${runLabel(run)}`.replace(/\s+/g, '_');

  let failures = 0;
  let errors = 0;
  let skipped = 0;
  let totalMs = 0;
  const cases: string[] = [];
  for (const id of ids) {
    const scores = scored.get(id);
    const samples = samplesByItem.get(id) ?? [];
    const ms = samples.reduce((sum, s) => sum + (s.latencyMs ?? 0), 0);
    totalMs += ms;
    const open = `    <testcase classname="${xmlEscape(className, true)}" name="${xmlEscape(id, true)}" time="${seconds(ms)}"`;
    if (scores && passFraction(scores) > 0.5) {
      cases.push(`${open}/>`);
      continue;
    }
    const body = samples.map((s) => `sample ${s.sampleIndex}: ${s.error ?? ''}${s.response !== undefined ? `\n${s.response}` : ''}`).join('\n\n');
    if (scores) {
      failures++;
      const cause = wrongAnswerCause(scores.find((s) => !s.passed)?.failureCause);
      cases.push(`${open}>\n      <failure message="${xmlEscape(explain(scores), true)}" type="${xmlEscape(cause, true)}">${xmlEscape(body)}</failure>\n    </testcase>`);
      continue;
    }
    // No verdict: a request failure or a scoring error is an error of the run, never a failed test.
    const broken = samples.find((s) => sampleOutcome(s) === 'request_failed') ?? samples.find((s) => sampleOutcome(s) === 'scoring_error');
    if (!broken) {
      skipped++;
      cases.push(`${open}>\n      <skipped message="pending: not asked or not scored yet"/>\n    </testcase>`);
      continue;
    }
    errors++;
    const outcome = OUTCOME_WORDS[sampleOutcome(broken)].singular;
    const message = `${outcome}: ${broken.error ?? broken.score?.explanation.find((e) => !e.passed)?.detail ?? ''}`;
    cases.push(`${open}>\n      <error message="${xmlEscape(message, true)}" type="${xmlEscape(sampleFailureCause(broken), true)}">${xmlEscape(body)}</error>\n    </testcase>`);
  }
  // A metric over no judged unit has no value (its stored 0 would read as every answer wrong).
  const properties = run.metrics.filter((m) => m.n > 0).map((m) => `      <property name="${xmlEscape(`metric.${m.name}`, true)}" value="${xmlEscape(m.value, true)}"/>`);
  properties.push(`      <property name="model" value="${xmlEscape(run.config.endpoint.model, true)}"/>`);
  properties.push(`      <property name="run_id" value="${xmlEscape(run.id, true)}"/>`);
  const counts = `tests="${ids.length}" failures="${failures}" errors="${errors}" skipped="${skipped}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="evalbench" ${counts} time="${seconds(totalMs)}">`,
    `  <testsuite name="${xmlEscape(suiteName, true)}" ${counts} time="${seconds(totalMs)}" timestamp="${xmlEscape(run.createdAt, true)}">`,
    '    <properties>',
    ...properties,
    '    </properties>',
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
