/**
 * `evalbench serve`: a job in which every request failed has no score. It ended "completed" with
 * aggregated_results accuracy 0 (num_total 0), which reads as every answer wrong. Now the job is
 * failed with a detail saying no sample was judged and why; its result gives accuracy null and the
 * count of each outcome. A job with some failures completes, scored over its judged samples, and says so.
 */
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import LlamaStackClient from 'llama-stack-client';
import { spawnCli } from '../../support/cliProcess';
import { useFakeModelServers } from '../../support/useFakeModelServer';
import { useTempDir } from '../../support/tempDir';

describe('evalbench serve: a job with no judged sample has no score', function () {
  this.timeout(240_000);
  const tmp = useTempDir();
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('close', r));
      }
    }
  });
  const servers = useFakeModelServers();

  async function serve(baseUrl: string): Promise<string> {
    const child = spawnCli(['serve', '--port', '0', '--base-url', baseUrl, '--out', path.join(tmp.path, 'runs'), '--cache-dir', path.join(tmp.path, 'cache')], { cwd: tmp.path });
    children.push(child);
    let out = '';
    let err = '';
    return new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (d) => {
        out += d;
        const match = /eval API at (http:\/\/\S+)/.exec(out);
        if (match) resolve(match[1]);
      });
      child.stderr!.on('data', (d) => (err += d));
      child.once('close', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
    });
  }

  /** Polls until the job is no longer running: a generous wait for a busy machine, not a speed check. */
  async function finished(client: LlamaStackClient, benchmark: string, jobId: string): Promise<Record<string, unknown>> {
    const deadline = Date.now() + 150_000;
    for (;;) {
      const job = (await client.alpha.eval.jobs.status(benchmark, jobId)) as unknown as Record<string, unknown>;
      if (job.status !== 'in_progress' && job.status !== 'scheduled') return job;
      if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Benchmark 'qa': items a (A?) and b (B?), scored by equality. */
  async function registerQa(client: LlamaStackClient): Promise<void> {
    const dataset = path.join(tmp.path, 'qa.jsonl');
    fs.writeFileSync(dataset, ['{"id":"a","prompt":"A?","expected":"A"}', '{"id":"b","prompt":"B?","expected":"B"}'].join('\n'));
    await client.alpha.benchmarks.register({ benchmark_id: 'qa', dataset_id: dataset, scoring_functions: ['basic::equality'] });
  }

  const candidate = { type: 'model' as const, model: 'fake-model', sampling_params: { strategy: { type: 'greedy' as const }, max_tokens: 16 } };

  it('every request failed: the job is failed, says no sample was judged, and its result has accuracy null with the outcome counts', async () => {
    // 422 is not retried: every sample fails at once.
    const model = await servers.start({ reply: () => ({ type: 'status', status: 422, message: 'model refused' }) });
    const client = new LlamaStackClient({ baseURL: await serve(model.url), maxRetries: 0 });
    await registerQa(client);

    const job = await client.alpha.eval.runEval('qa', { benchmark_config: { eval_candidate: candidate } });
    const done = await finished(client, 'qa', job.job_id);
    assert.equal(done.status, 'failed', 'nothing was judged: not a completed job');
    assert.match(String(done.detail), /no sample was judged \(2 request failures\)/);

    const result = await client.alpha.eval.jobs.retrieve('qa', job.job_id);
    const aggregated = result.scores['basic::equality'].aggregated_results as Record<string, any>;
    assert.deepEqual(aggregated.accuracy, { accuracy: null, num_correct: 0, num_total: 0 }, 'no score over 0 judged samples, never 0');
    assert.deepEqual(aggregated.outcomes, { total: 2, passed: 0, wrong: 0, request_failed: 2, scoring_error: 0, pending: 0 });
    assert.equal(aggregated.metrics.accuracy.value, null);
    assert.deepEqual(result.scores['basic::equality'].score_rows.map((r) => [r.score, r.outcome]), [[null, 'request_failed'], [null, 'request_failed']]);
  });

  it('some requests failed: the job completes, scored over the judged samples, and says how many were not judged', async () => {
    const model = await servers.start({ reply: (r) => (r.body.messages.at(-1).content === 'A?' ? 'A' : { type: 'status', status: 422, message: 'model refused' }) });
    const client = new LlamaStackClient({ baseURL: await serve(model.url), maxRetries: 0 });
    await registerQa(client);

    const job = await client.alpha.eval.runEval('qa', { benchmark_config: { eval_candidate: candidate } });
    const done = await finished(client, 'qa', job.job_id);
    assert.equal(done.status, 'completed');
    assert.match(String(done.detail), /1 of 2 samples judged \(1 request failure\)/);
    const aggregated = (await client.alpha.eval.jobs.retrieve('qa', job.job_id)).scores['basic::equality'].aggregated_results as Record<string, any>;
    assert.deepEqual(aggregated.accuracy, { accuracy: 1, num_correct: 1, num_total: 1 });
    assert.deepEqual(aggregated.outcomes, { total: 2, passed: 1, wrong: 0, request_failed: 1, scoring_error: 0, pending: 0 });
  });
});
