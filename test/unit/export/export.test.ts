import * as assert from 'node:assert/strict';
import { exportRun, isExportFormat, modelFormat, renderCsv, renderJunit, renderMarkdown, toJsonReport, xmlEscape } from '../../../src/core/export';
import type { ItemScore } from '../../../src/core/benchmarks/types';
import type { ServerFacts } from '../../../src/core/endpoint/types';
import { runReportModel } from '../../../src/core/report/reportModel';
import { binaryRun, binaryScore, ifevalScore, runWith } from '../../support/runFixtures';

/** A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') { field += '"'; i += 2; }
        else if (text[i] === '"') { i++; break; }
        else if (i >= text.length) throw new Error('unterminated quote');
        else field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r') {
        if (text[i] === '"' || text[i] === '\n') throw new Error(`bare ${JSON.stringify(text[i])} at ${i}`);
        field += text[i++];
      }
    }
    row.push(field);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) { rows.push(row); row = []; i += 2; }
    else if (i < text.length) throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

const llamaFacts: ServerFacts = {
  kind: 'llama.cpp', baseUrl: 'http://127.0.0.1:8080/v1', models: ['qwen'], modelPath: '/models/Qwen2.5-7B.Q4_K_M.gguf',
  quantization: 'Q4_K_M', raw: {}, probedAt: '2026-11-20T10:00:00.000Z',
};

function ifevalRun() {
  const scores = new Map<string, ItemScore[]>();
  for (let i = 0; i < 10; i++) scores.set(`${1000 + i}`, [ifevalScore([{ id: 'punctuation:no_comma', strict: i < 7, loose: i < 8 }, { id: 'length:number_words', strict: true, loose: true }])]);
  const data = runWith('run-ifeval', { benchmarkId: 'ifeval', endpoint: { baseUrl: 'http://127.0.0.1:8080/v1', model: 'Qwen/Qwen2.5-7B-Instruct', mode: 'chat' } }, scores);
  data.run.serverFacts = llamaFacts;
  return data;
}

describe('exports', () => {
  it('JSON: the owner shape with metrics, CIs and model facts', () => {
    const report = toJsonReport(ifevalRun(), { resamples: 500 }) as any;
    assert.equal(report.repo_id, 'Qwen/Qwen2.5-7B-Instruct');
    assert.equal(report.model_path, '/models/Qwen2.5-7B.Q4_K_M.gguf');
    assert.equal(report.model_format, 'GGUF');
    assert.equal(report.gpu_info, null);
    assert.equal(report.timestamp, '2026-11-20T10:00:00.000Z');
    const ifeval = report.benchmarks.ifeval;
    assert.equal(ifeval.benchmark, 'IFEval');
    assert.equal(ifeval.questions, 10);
    assert.equal(ifeval.overall_score, 0.7);
    assert.equal(ifeval.prompt_strict, 0.7);
    assert.equal(ifeval.prompt_loose, 0.8);
    assert.equal(ifeval.inst_strict, 17 / 20);
    assert.equal(ifeval.ci.prompt_strict.method, 'wilson');
    assert.equal(ifeval.ci.inst_strict.method, 'bootstrap');
    assert.ok(ifeval.ci.prompt_strict.lo < 0.7 && ifeval.ci.prompt_strict.hi > 0.7);
    assert.deepEqual(ifeval.failure_causes, { wrong: { wrong: 3 } });
    assert.deepEqual(ifeval.outcomes, { total: 10, passed: 7, wrong: 3, request_failed: 0, scoring_error: 0, pending: 0 });
  });

  it('JSON: HumanEval section carries n_samples and pass@k', () => {
    const scores = new Map<string, ItemScore[]>();
    for (let p = 0; p < 4; p++) scores.set(`HumanEval/${p}`, Array.from({ length: 10 }, (_, s) => binaryScore(s < p)));
    const report = toJsonReport(runWith('he', { benchmarkId: 'humaneval', samplesPerItem: 10 }, scores), { resamples: 500 }) as any;
    const he = report.benchmarks.humaneval;
    assert.equal(he.benchmark, 'HumanEval');
    assert.equal(he.questions, 4);
    assert.equal(he.n_samples, 10);
    assert.ok(Math.abs(he['pass@1'] - (0 + 0.1 + 0.2 + 0.3) / 4) < 1e-9);
    assert.equal(he.overall_score, he['pass@1']);
    assert.ok('pass@10' in he);
    assert.equal(report.model_format, null);
  });

  it('model format from Ollama and LM Studio facts', () => {
    const base = { kind: 'ollama' as const, baseUrl: 'x', models: ['m'], probedAt: '' };
    assert.equal(modelFormat({ ...base, raw: { '/api/show': { details: { format: 'gguf' } } } }, 'm'), 'GGUF');
    assert.equal(modelFormat({ ...base, kind: 'lmstudio', raw: { '/api/v0/models': { data: [{ id: 'm', compatibility_type: 'mlx' }] } } }, 'm'), 'MLX');
    assert.equal(modelFormat(undefined, 'm'), null);
  });

  it('CSV: RFC 4180 quoting round-trips commas, quotes and line breaks', () => {
    const data = binaryRun('r', [true, false]);
    data.samples[0].response = 'He said "hi", then\r\nleft';
    data.samples[1].response = 'plain';
    data.samples[1].latencyMs = 120;
    const text = renderCsv(data);
    assert.ok(text.endsWith('\r\n'));
    const rows = parseCsv(text);
    assert.equal(rows.length, 3);
    const header = rows[0];
    const col = (name: string) => header.indexOf(name);
    assert.equal(rows[1][col('item_id')], 'q0');
    assert.equal(rows[1][col('response')], 'He said "hi", then\r\nleft');
    assert.equal(rows[2][col('passed')], 'false');
    assert.equal(rows[2][col('latency_ms')], '120');
    assert.equal(rows[2][col('failed_checks')], 'answer: expected "4", got "5"');
    assert.ok(rows.every((r) => r.length === header.length));
  });

  it('CSV: one column per value key (IFEval)', () => {
    const rows = parseCsv(renderCsv(ifevalRun()));
    for (const key of ['inst_loose_passed', 'inst_strict_passed', 'inst_total', 'prompt_loose', 'prompt_strict']) assert.ok(rows[0].includes(key), key);
    assert.equal(rows[1][rows[0].indexOf('inst_total')], '2');
  });

  it('Markdown: metrics with intervals, instruction types, failed items; table cells escaped', () => {
    const data = ifevalRun();
    data.run.config.endpoint.label = 'Qwen | Q4';
    const md = renderMarkdown(data, { resamples: 500 });
    assert.match(md, /^# ifeval — Qwen \\\| Q4$/m);
    assert.match(md, /\| Prompt-level strict accuracy \| 70\.0% \| \d+\.\d% – \d+\.\d% \|/);
    assert.match(md, /\| punctuation:no\\_comma \| 10 \| 70\.0% \| 80\.0% \|/);
    assert.match(md, /## Wrong items \(3 of 3\)/);
    assert.match(md, /\| Passed \| 7 \|\n\| Wrong \| 3 \|\n\| Request failed \| 0 \|/);
    assert.match(md, /Computed over the judged samples only: of 10 judged\./);
    assert.match(md, /- \*\*1007\*\*: punctuation:no\\_comma \(strict\): not followed/);
  });

  it('JUnit: one testcase per item, failure message is the explanation, errors for no reply', () => {
    const data = binaryRun('r', [true, false, false]);
    data.samples[2] = { ...data.samples[2], status: 'failed', error: 'timeout after 60 s', response: undefined, score: { ...binaryScore(false, 'timeout') } };
    const xml = renderJunit(data);
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="evalbench" tests="3" failures="1" errors="1" skipped="0"/);
    assert.equal((xml.match(/<testcase /g) ?? []).length, 3);
    assert.match(xml, /<testcase classname="custom.model-r" name="q0" time="0.000"\/>/);
    assert.match(xml, /<failure message="answer: expected &quot;4&quot;, got &quot;5&quot;" type="wrong">/);
    // A failed request is an error of the run with its reason, never the explanation of a wrong answer.
    assert.match(xml, /<error message="request failure: timeout after 60 s" type="timeout">sample 0: timeout after 60 s<\/error>/);
  });

  it('CSV, Markdown, JSON and JUnit give a failed request the same outcome and cause, never a verdict', () => {
    const data = binaryRun('r', [true, false, false]);
    data.samples[2] = { ...data.samples[2], status: 'failed', error: 'server answered 500', response: undefined, score: { ...binaryScore(false, 'http_error') } };
    const rows = parseCsv(renderCsv(data));
    const col = (name: string) => rows[0].indexOf(name);
    assert.deepEqual(rows.slice(1).map((r) => [r[col('outcome')], r[col('passed')], r[col('score')], r[col('failure_cause')]]), [
      ['passed', 'true', '1', ''],
      ['wrong', 'false', '0', 'wrong'],
      ['request_failed', '', '', 'http_error'],
    ]);
    const md = renderMarkdown(data, { resamples: 200 });
    assert.match(md, /\| Passed \| 1 \|\n\| Wrong \| 1 \|\n\| Request failed \| 1 \|/);
    assert.match(md, /\| Request failed \| http\\_error \(server error status\) \| 1 \|/);
    assert.match(md, /of 2 judged \(1 request failure\)/);
    const section = toJsonReport(data, { resamples: 200 }).benchmarks as Record<string, any>;
    assert.deepEqual(section.custom.failure_causes, { wrong: { wrong: 1 }, request_failed: { http_error: 1 } });
    assert.deepEqual(section.custom.outcomes, { total: 3, passed: 1, wrong: 1, request_failed: 1, scoring_error: 0, pending: 0 });
    assert.equal(section.custom.overall_score, 0.5, 'over the 2 judged items');
    assert.match(renderJunit(data), /<error message="request failure: server answered 500" type="http_error">/);
  });

  it('a cancelled run: every export and the HTML report count the samples never asked as pending', () => {
    // 5 items, cancelled after 3 replies: passed, wrong (a HumanEval-style "timeout" verdict), and a request that timed out.
    const data = binaryRun('r', [true, false, false, true, true]);
    data.run = { ...data.run, status: 'cancelled' };
    data.samples[1] = { ...data.samples[1], score: { ...binaryScore(false, 'timeout') } };
    data.samples[2] = { ...data.samples[2], status: 'failed', error: 'no reply within the per-item limit of 60 s', response: undefined, score: { ...binaryScore(false, 'timeout') } };
    data.samples = data.samples.slice(0, 3);
    const rows = parseCsv(renderCsv(data));
    const col = (name: string) => rows[0].indexOf(name);
    assert.deepEqual(rows.slice(1).map((r) => [r[col('item_id')], r[col('status')], r[col('outcome')], r[col('failure_cause')]]), [
      ['q0', 'done', 'passed', ''],
      ['q1', 'done', 'wrong', 'timeout'],
      ['q2', 'failed', 'request_failed', 'timeout'],
      ['q3', '', 'pending', ''],
      ['q4', '', 'pending', ''],
    ]);
    assert.ok(rows.slice(1).every((r) => r.length === rows[0].length), 'a pending row has every column');
    assert.match(renderMarkdown(data, { resamples: 200 }), /of 2 judged \(1 request failure, 2 pending\)/);
    const section = (toJsonReport(data, { resamples: 200 }).benchmarks as Record<string, any>).custom;
    assert.deepEqual(section.outcomes, { total: 5, passed: 1, wrong: 1, request_failed: 1, scoring_error: 0, pending: 2 });
    // The same cause under two outcomes stays apart: a wrong program that ran out of time is not a reply that never came.
    assert.deepEqual(section.failure_causes, { wrong: { timeout: 1 }, request_failed: { timeout: 1 } });
    assert.match(runReportModel(data, { resamples: 200 }).headline[0], /of 2 judged \(1 request failure, 2 pending\)/);
    assert.match(renderJunit(data), /tests="5" failures="1" errors="1" skipped="2"/);
  });

  it('JUnit: XML escaping of markup, control characters and lone surrogates', () => {
    assert.equal(xmlEscape(`a<b>&"c'`), 'a&lt;b&gt;&amp;&quot;c&apos;');
    assert.equal(xmlEscape('x\u0000y\u001bz\u0007'), 'x\uFFFDy\uFFFDz\uFFFD');
    assert.equal(xmlEscape('tab\tnl\ncr\r', true), 'tab&#9;nl&#10;cr&#13;');
    assert.equal(xmlEscape('tab\tnl\n'), 'tab\tnl\n');
    assert.equal(xmlEscape('\uD83D\uDE00 ok \uD83D end \uDE00'), '\uD83D\uDE00 ok \uFFFD end \uFFFD');
    const data = binaryRun('r', [false]);
    data.samples[0].response = 'print("\u0001</failure><x>")';
    const xml = renderJunit(data);
    assert.ok(!/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(xml));
    assert.equal((xml.match(/<\/failure>/g) ?? []).length, 1);
    assert.ok(xml.includes('&lt;/failure&gt;&lt;x&gt;'));
  });

  it('exportRun dispatches on the format name', () => {
    const data = binaryRun('r', [true]);
    assert.ok(isExportFormat('junit') && !isExportFormat('xml'));
    assert.equal(exportRun(data, 'csv'), renderCsv(data));
    assert.throws(() => exportRun(data, 'xml' as never), /unknown export format 'xml'/);
  });
});
