/**
 * Pairwise judging of two stored runs from the CLI, with scripted loopback judges: a fair one, and one
 * that always prefers position A (the order swap must leave it no verdict), and compare showing the result.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../support/cliProcess';
import type { RecordedRequest } from '../../support/fakeModelServer';
import { useFakeModelServers } from '../../support/useFakeModelServer';
import { useTempDir } from '../../support/tempDir';
import { flipReport, loadPairwiseReport } from '../../../src/core/judge/pairwiseRuns';
import { pairwiseView } from '../../../src/extension/panels/compareViewModel';

const QUESTIONS: Record<string, string> = { q1: 'Capital of France?', q2: 'Opposite of hot?', q3: '2+2?', q4: 'Colour of grass?', q5: 'Largest planet?', q6: 'Author of Hamlet?' };
const RIGHT: Record<string, string> = { 'Capital of France?': 'Paris', 'Opposite of hot?': 'cold', '2+2?': '4', 'Colour of grass?': 'green', 'Largest planet?': 'Jupiter', 'Author of Hamlet?': 'Shakespeare' };

/** Between "[Answer of assistant X]" and its end marker in the default template. */
function shown(prompt: string, position: 'A' | 'B'): string {
  return prompt.split(`[Answer of assistant ${position}]\n`)[1].split(`\n[End of answer ${position}]`)[0];
}

/** Prefers the right answer whatever its position; a tie when both are right or both wrong. */
function fairJudge(request: RecordedRequest): string {
  const prompt: string = request.body.messages[0].content;
  const question = Object.values(QUESTIONS).find((q) => prompt.includes(`[Question]\n${q}\n`))!;
  const a = shown(prompt, 'A') === RIGHT[question];
  const b = shown(prompt, 'B') === RIGHT[question];
  return `Comparing both answers.\n${a === b ? '[[C]]' : a ? '[[A]]' : '[[B]]'}`;
}

describe('pairwise LLM judge over two runs', function () {
  this.timeout(180_000);
  const tmp = useTempDir();
  const servers = useFakeModelServers();

  async function twoRuns(): Promise<{ out: string; runA: string; runB: string }> {
    const dataset = path.join(tmp.path, 'qa.jsonl');
    fs.writeFileSync(dataset, Object.entries(QUESTIONS).map(([id, prompt]) => JSON.stringify({ id, prompt, expected: RIGHT[prompt] })).join('\n'));
    const full = await servers.start({ models: ['full'], reply: (r) => RIGHT[r.body.messages[0].content] });
    // The quantized model gets two answers wrong.
    const quant = await servers.start({ models: ['q4'], reply: (r) => (['2+2?', 'Largest planet?'].includes(r.body.messages[0].content) ? 'no idea' : RIGHT[r.body.messages[0].content]) });
    const out = path.join(tmp.path, 'runs');
    const ids: string[] = [];
    for (const [server, model] of [[full, 'full'], [quant, 'q4']] as const) {
      const run = await runCli(['run', '--base-url', server.url, '--model', model, '--benchmark', `custom:${dataset}`, '--out', out, '--json'], { cwd: tmp.path });
      assert.equal(run.code, 0, run.stderr);
      ids.push(JSON.parse(run.stdout).id);
    }
    return { out, runA: ids[0], runB: ids[1] };
  }

  it('counts only order-consistent verdicts: a fair judge gives B 0 win / 4 tie / 2 loss, a position-A judge gives no verdict', async () => {
    const { out, runA, runB } = await twoRuns();
    const cache = path.join(tmp.path, 'cache');
    const fair = await servers.start({ models: ['judge'], reply: fairJudge });
    const biased = await servers.start({ models: ['judge-biased'], reply: () => 'Assistant A is clearly better.\n[[A]]' });

    const result = await runCli(['pairwise', runA, runB, '--runs-dir', out, '--cache-dir', cache, '--judge-base-url', fair.url, '--judge-model', 'judge', '--json'], { cwd: tmp.path });
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /different datasets/, 'both runs answered the same dataset file');
    const report = JSON.parse(result.stdout);
    assert.deepEqual(report.counts, { win: 0, tie: 4, loss: 2, inconsistent: 0, error: 0 });
    assert.equal(report.judged, 6);
    assert.equal(report.winRate.n, 6);
    assert.ok(Math.abs(report.winRate.estimate - 2 / 6) < 1e-12);
    assert.ok(report.winRate.lo <= report.winRate.estimate && report.winRate.estimate <= report.winRate.hi && report.winRate.hi < 0.5 + 1e-12);
    assert.equal(report.judge.model, 'judge');
    assert.match(report.judge.template, /\{\{response_a\}\}/);
    // Every item is asked in both orders; where both runs replied the same, the swapped prompt is the same
    // prompt and comes from the cache: 4 identical items × 1 + 2 differing items × 2 = 8 judge calls.
    const asked = fair.generationRequests().map((r) => r.body.messages[0].content as string);
    assert.equal(asked.length, 8);
    const q3 = asked.filter((p) => p.includes('[Question]\n2+2?\n'));
    assert.deepEqual(q3.map((p) => [shown(p, 'A'), shown(p, 'B')]), [['4', 'no idea'], ['no idea', '4']]);
    const q3Item = report.items.find((i: { itemId: string }) => i.itemId === 'q3');
    assert.deepEqual([q3Item.inOrder, q3Item.swapped, q3Item.outcome], ['A', 'A', 'loss']);

    // compare shows the stored report, from either side.
    const compare = await runCli(['compare', runA, runB, '--runs-dir', out], { cwd: tmp.path });
    assert.equal(compare.code, 0, compare.stderr);
    assert.match(compare.stdout, /pairwise judge judge \(both orders/);
    assert.match(compare.stdout, /B against A: 0 win, 4 tie, 2 loss over 6 consistent items; 0 inconsistent/);
    assert.match(compare.stdout, /B's win rate \(win 1, tie ½, loss 0\) 33\.3%, 95% CI/);
    const reversed = await runCli(['compare', runB, runA, '--runs-dir', out], { cwd: tmp.path });
    assert.match(reversed.stdout, /B against A: 2 win, 4 tie, 0 loss/);
    const stored = loadPairwiseReport(out, runA, runB)!;
    const twice = flipReport(flipReport(stored));
    assert.deepEqual([twice.runA, twice.counts, twice.items], [stored.runA, stored.counts, stored.items]);
    assert.ok(Math.abs(twice.winRate!.estimate - stored.winRate!.estimate) < 1e-12);

    // Asked again: every verdict comes from the cache.
    const again = await runCli(['pairwise', runA, runB, '--runs-dir', out, '--cache-dir', cache, '--judge-base-url', fair.url, '--judge-model', 'judge'], { cwd: tmp.path });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /judge calls: 0 asked, 12 from the cache/);
    assert.equal(fair.generationRequests().length, 8);

    // A judge that always prefers position A is neutralised by the swap: nothing counts.
    const bias = await runCli(['pairwise', runA, runB, '--runs-dir', out, '--cache-dir', cache, '--judge-base-url', biased.url, '--judge-model', 'judge-biased', '--json'], { cwd: tmp.path });
    assert.equal(bias.code, 1, 'no usable verdict for any item: the work failed');
    assert.match(bias.stderr, /the judge gave no usable verdict for any of the 6 items; 6 were inconsistent across the swap \(position bias\)/);
    const biasReport = JSON.parse(bias.stdout);
    assert.deepEqual(biasReport.counts, { win: 0, tie: 0, loss: 0, inconsistent: 6, error: 0 });
    assert.equal(biasReport.winRate, undefined);
    assert.match(biasReport.items[0].detail, /preferred run A with A's reply first and run B with B's reply first: position bias, not counted/);
    const text = await runCli(['compare', runA, runB, '--runs-dir', out], { cwd: tmp.path });
    assert.match(text.stdout, /6 inconsistent \(position bias\)/);
    assert.match(text.stdout, /no consistent verdict/);
    // The compare panel gets the same counts (the latest report for the pair: the biased judge's).
    assert.deepEqual(pairwiseView(loadPairwiseReport(out, runA, runB)!), { judgeModel: 'judge-biased', win: 0, tie: 0, loss: 0, inconsistent: 6, noVerdict: 0, judged: 6, winRate: undefined });
  });

  it('an unreadable or failed judge reply is no verdict, never a win, tie or loss', async () => {
    const { out, runA, runB } = await twoRuns();
    const flaky = await servers.start({
      models: ['judge'],
      reply: (r) => {
        const prompt: string = r.body.messages[0].content;
        if (prompt.includes('Capital of France?')) return 'Both are fine I suppose.';
        if (prompt.includes('Opposite of hot?')) return { type: 'status', status: 400, message: 'context too long' };
        return fairJudge(r);
      },
    });
    const result = await runCli(['pairwise', runA, runB, '--runs-dir', out, '--cache-dir', path.join(tmp.path, 'c2'), '--judge-base-url', flaky.url, '--judge-model', 'judge', '--retries', '0', '--json'], { cwd: tmp.path });
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.deepEqual(report.counts, { win: 0, tie: 2, loss: 2, inconsistent: 0, error: 2 });
    assert.equal(report.winRate.n, 4);
    const q1 = report.items.find((i: { itemId: string }) => i.itemId === 'q1');
    assert.match(q1.detail, /no verdict \(in order: no \[\[A\]\]\/\[\[B\]\]\/\[\[C\]\] verdict in the reply "Both are fine I suppose\."/);
    const q2 = report.items.find((i: { itemId: string }) => i.itemId === 'q2');
    assert.match(q2.detail, /the judge did not answer/);
  });
});
