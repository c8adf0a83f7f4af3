import * as assert from 'node:assert/strict';
import { EXPORT_CHOICES, formatForFile, renderExport } from '../../../src/extension/exportFormats';
import { checkedScore, item, runRecord, sample } from '../../support/runFixtures';

describe('export formats from the tree', () => {
  const contents = {
    run: runRecord('r1'),
    items: [item('q1', 0), item('q2', 1)],
    samples: [sample('q1', checkedScore(true)), sample('q2', checkedScore(false, [], 'truncated'), { response: 'a, "quoted"\nanswer' })],
  };

  it('tells the format from the file name', () => {
    assert.equal(formatForFile('/x/report.json'), 'json');
    assert.equal(formatForFile('/x/items.CSV'), 'csv');
    assert.equal(formatForFile('/x/report.md'), 'md');
    assert.equal(formatForFile('/x/results.xml'), 'junit');
    assert.equal(formatForFile('/x/samples.jsonl'), 'jsonl');
    assert.equal(formatForFile('/x/report.txt'), undefined);
  });

  it('renders each format from the same run', () => {
    const texts = Object.fromEntries(EXPORT_CHOICES.map((c) => [c.format, renderExport(contents, c.format, { reportAssets: () => ({ script: '/* the report script */', css: '' }) })]));
    assert.ok(JSON.parse(texts.json).benchmarks.custom, 'the report has the run under its benchmark');
    assert.equal(texts.csv.trim().split('\n').length >= 3, true, 'a header and one row per sample');
    assert.match(texts.md, /^#/m);
    assert.match(texts.html, /^<!doctype html>[\s\S]*<script>\/\* the report script \*\/<\/script>/);
    assert.match(texts.junit, /<testsuites?[\s>]/);
    assert.match(texts.junit, /<failure/);
    const lines = texts.jsonl.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => [l.item_id, l.outcome, l.passed, l.failure_cause]), [['q1', 'passed', true, null], ['q2', 'wrong', false, 'truncated']]);
  });
});
