/**
 * An outage is not a regression. A scripted loopback server fails 14 of 30 requests with HTTP 500: the run
 * ends "done with errors", its headline is over the 16 judged items, and comparing it with a clean run of
 * the same model calls no difference significant.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FakeModelServer } from '../../support/fakeModelServer';
import { useFakeModelServers } from '../../support/useFakeModelServer';
import { runCli } from '../../support/cliProcess';
import { useTempDir } from '../../support/tempDir';

const ITEMS = 30;
/** Items whose request the failing server answers with HTTP 500: the even ones below 28, 14 in all. */
const fails = (i: number) => i % 2 === 0 && i < 28;
/** Items the model gets wrong in both runs (every fifth): 6 of 30, 3 of the 16 the failing server answers. */
const wrong = (i: number) => i % 5 === 4;

function indexOf(request: { body?: any }): number {
  return Number(String(request.body?.messages?.at(-1)?.content ?? '').slice(1));
}

describe('request failures are never wrong answers (scripted HTTP 500 server, CLI end to end)', function () {
  this.timeout(180_000);
  const tmp = useTempDir();
  const servers = useFakeModelServers();

  function serve(failing: boolean): Promise<FakeModelServer> {
    return servers.start({
      reply: (r) => {
        const i = indexOf(r);
        if (failing && fails(i)) return { type: 'status', status: 500, message: 'upstream model crashed' };
        return wrong(i) ? 'no idea' : `p${i}`;
      },
    });
  }

  it('ends done with errors, reports the headline over judged items, and compare claims no significant difference', async () => {
    const dataset = path.join(tmp.path, 'set.jsonl');
    fs.writeFileSync(dataset, Array.from({ length: ITEMS }, (_, i) => JSON.stringify({ id: `q${i}`, prompt: `p${i}`, expected: `p${i}` })).join('\n'));
    const out = path.join(tmp.path, 'runs');
    const args = (server: FakeModelServer) => ['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', `custom:${dataset}`, '--out', out, '--retries', '0', '--json'];

    const clean = await runCli(args(await serve(false)), { cwd: tmp.path });
    assert.equal(clean.code, 0, clean.stderr);
    const a = JSON.parse(clean.stdout);
    assert.equal(a.status, 'done');
    assert.deepEqual([a.metrics[0].value, a.metrics[0].n], [24 / 30, 30]);

    const failingServer = await serve(true);
    const failed = await runCli(args(failingServer), { cwd: tmp.path });
    assert.equal(failed.code, 1, 'a run with request failures exits 1 without --allow-errors');
    assert.match(failed.stderr, /done with errors \(14 request failures\); metrics are over 16 judged samples \(--allow-errors to exit 0\)/);
    const b = JSON.parse(failed.stdout);
    assert.equal(b.status, 'done_with_errors');
    assert.deepEqual(b.counts, { total: 30, passed: 13, wrong: 3, request_failed: 14, scoring_error: 0, pending: 0 });
    // The headline is 13 of the 16 judged, not 13 of 30: a failed request is not a wrong answer.
    assert.deepEqual([b.metrics[0].value, b.metrics[0].n], [13 / 16, 16]);

    const allowed = await runCli([...args(failingServer), '--allow-errors'], { cwd: tmp.path });
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal(JSON.parse(allowed.stdout).status, 'done_with_errors');

    const show = await runCli(['show', b.id, '--out', out], { cwd: tmp.path });
    assert.match(show.stdout, /\[Done with errors\]/);
    assert.match(show.stdout, /headline: Accuracy 81\.3% of 16 judged \(14 request failures\)/);
    assert.match(show.stdout, /request failed\s+http_error \(server error status\)\s+14/);

    const compared = await runCli(['compare', a.id, b.id, '--runs-dir', out, '--json', '--fail-if-worse', '0'], { cwd: tmp.path });
    // An outage is never read as B being worse, and the gate cannot pass on it either: it says it cannot decide, and fails.
    assert.equal(compared.code, 1, compared.stderr);
    assert.match(compared.stderr, /--fail-if-worse not decided: the runs' failures differ .*; the gate fails/);
    assert.doesNotMatch(compared.stderr, /significantly worse/);
    const c = JSON.parse(compared.stdout);
    assert.equal(c.headline.n, 16, 'compared on the items judged in both runs');
    assert.equal(c.headline.delta, 0);
    assert.equal(c.headline.significant, false);
    assert.ok(c.metrics.every((m: { significant: boolean }) => !m.significant), 'no metric is called significant');
    assert.match(c.significanceWithheld, /failures differ \(A: none; B: 14 request failures\)/);
    assert.deepEqual(c.items.excluded, [{ side: 'B', reason: 'request_failed', items: 14 }]);
    assert.ok(c.warnings.some((w: { message: string }) => w.message === 'B: 14 of 30 requests failed'));
    assert.ok(c.warnings.some((w: { message: string }) => /compared on the 16 items judged in both runs; left out: 14 with a request failure in B/.test(w.message)));
    assert.deepEqual(c.failureCauses.find((r: { cause: string }) => r.cause === 'http_error'), { outcome: 'request_failed', cause: 'http_error', a: 0, b: 14, delta: 14 });
    assert.doesNotMatch(c.headline.sentence, /unlikely to be chance/);

    const text = await runCli(['compare', a.id, b.id, '--runs-dir', out], { cwd: tmp.path });
    assert.match(text.stdout, /significance: not claimed; the runs' failures differ/);
    assert.match(text.stdout, /! B: 14 of 30 requests failed/);
  });
});
