/**
 * Comparing with a run in which nothing was judged (every request failed): no item is judged in both runs, so
 * there is no metric to compare. The comparison must not say "A and B are level (0.0% vs 0.0%)" when A scored
 * 67%; and its failure-cause table speaks the words `show` uses ("request failed", "server error status").
 */
import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createCompareCommand, formatComparison } from '../../../src/cli/commands/compare';
import { compareRuns } from '../../../src/core/compare/compareRuns';
import type { RunData } from '../../../src/core/compare/runData';
import { binaryRun, binaryScore, runWith, sample } from '../../support/runFixtures';

function allRequestsFailed(id: string, items: number): RunData {
  const data = binaryRun(id, new Array(items).fill(false));
  data.samples = data.items.map((it) => sample(it.id, undefined, { status: 'failed', response: undefined, error: 'server http://127.0.0.1:1/v1 answered 500 boom' }));
  return data;
}

describe('compare: no item judged in both runs', () => {
  it('has no metric to compare and says so instead of 0.0% vs 0.0%', () => {
    const a = binaryRun('a', [true, true, false]);
    const b = allRequestsFailed('b', 3);
    const c = compareRuns(a, b, { resamples: 200 });
    assert.equal(c.items.compared, 0);
    assert.deepEqual(c.metrics, []);
    assert.equal(c.headline, undefined);
    const text = formatComparison(c);
    assert.doesNotMatch(text, /0\.0%/);
    assert.doesNotMatch(text, /level on/);
    assert.match(text, /no item judged in both runs: no metric to compare/);
  });

  it('names outcomes and causes in the failure-cause table as show does', () => {
    const text = formatComparison(compareRuns(binaryRun('a', [true, true, false]), allRequestsFailed('b', 3), { resamples: 200 }));
    assert.match(text, /^request failed\s+http_error \(server error status\)\s+0\s+3\s+\+3$/m);
    assert.match(text, /^wrong\s+wrong \(wrong answer\)\s+1\s+0\s+-1$/m);
    assert.doesNotMatch(text, /request_failed/);
  });

  it('--fail-if-worse fails, saying it could not decide, when no item was judged in both runs (different item sets)', async () => {
    const a = binaryRun('a', [true, false]);
    const b = runWith('b', {}, new Map([['other-1', [binaryScore(false)]], ['other-2', [binaryScore(false)]]]));
    const command = createCompareCommand(() => async (ref: string) => ({ a, b })[ref as 'a' | 'b']);
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (d) => (err += d));
    stdout.resume();
    const code = await command.run(['a', 'b', '--fail-if-worse', '2', '--resamples', '200'], { stdout, stderr, env: {}, cwd: '/', signal: new AbortController().signal });
    assert.equal(code, 1, 'a gate that compared nothing cannot pass');
    assert.match(err, /--fail-if-worse not decided: no item judged in both runs, so nothing was compared; the gate fails/);
  });
  it('--fail-if-worse fails when one request failure withholds significance, however large the drop', async () => {
    const a = binaryRun('a', Array.from({ length: 60 }, () => true));
    const b = binaryRun('b', Array.from({ length: 60 }, (_, i) => i % 2 === 0));
    b.samples[1] = { ...b.samples[1], status: 'failed', error: 'server answered 500', response: undefined, score: { ...binaryScore(false, 'http_error') } };
    const command = createCompareCommand(() => async (ref: string) => ({ a, b })[ref as 'a' | 'b']);
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (d) => (err += d));
    const stdout = new PassThrough();
    stdout.resume();
    const code = await command.run(['a', 'b', '--fail-if-worse', '2', '--resamples', '200'], { stdout, stderr, env: {}, cwd: '/', signal: new AbortController().signal });
    assert.equal(code, 1, err);
    assert.match(err, /--fail-if-worse not decided: the runs' failures differ \(A: none; B: 1 request failure\).*; the gate fails/);
  });
});
