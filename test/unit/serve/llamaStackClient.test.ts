/**
 * `evalbench serve` driven by the official llama-stack-client (npm, 0.7.x): register → run job → poll
 * → result → cancel → unregister, against a loopback model server; jobs are ordinary runs, and a job
 * cut short by a killed server is resumed when serve starts again.
 */
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import LlamaStackClient, { AuthenticationError, ConflictError, NotFoundError } from 'llama-stack-client';
import { collect, runCli, spawnCli } from '../../support/cliProcess';
import { useFakeModelServers } from '../../support/useFakeModelServer';
import { useTempDir } from '../../support/tempDir';

const ANSWERS: Record<string, string> = { 'Capital of France?': 'Paris', '2+2?': '4', 'Opposite of hot?': 'warm', 'Colour of grass?': 'green' };

describe('evalbench serve with the official llama-stack-client', function () {
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
  // Registered after the hook that stops the serve processes: they go before their model server.
  const servers = useFakeModelServers();

  function dataset(): string {
    const file = path.join(tmp.path, 'qa.jsonl');
    fs.writeFileSync(file, Object.entries(ANSWERS).map(([prompt], i) => JSON.stringify({ id: `q${i}`, prompt, expected: ['Paris', '4', 'cold', 'green'][i] })).join('\n'));
    return file;
  }

  /** Start serve and wait for the line with its URL. */
  async function serve(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ url: string; child: ChildProcess; output: () => string }> {
    const child = spawnCli(['serve', '--port', '0', '--out', path.join(tmp.path, 'runs'), '--cache-dir', path.join(tmp.path, 'cache'), ...args], { cwd: tmp.path, env });
    children.push(child);
    let out = '';
    let err = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (d) => {
        out += d;
        const match = /eval API at (http:\/\/\S+)/.exec(out);
        if (match) resolve(match[1]);
      });
      child.stderr!.on('data', (d) => (err += d));
      child.once('close', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
    });
    return { url, child, output: () => `stdout: ${out}\nstderr: ${err}` };
  }

  /** A generous wait (a busy 2-core machine), not a speed check. */
  async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 150_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const candidate = { type: 'model' as const, model: 'fake-model', sampling_params: { strategy: { type: 'greedy' as const }, max_tokens: 64 } };

  it('register → run job → poll → result → cancel → unregister, with typed responses and errors', async () => {
    const model = await servers.start({ reply: (r) => ANSWERS[r.body.messages.at(-1).content] ?? '?' });
    const { url } = await serve(['--base-url', model.url]);
    const client = new LlamaStackClient({ baseURL: url, maxRetries: 0 });

    const builtIn = await client.alpha.benchmarks.list();
    assert.deepEqual(builtIn.map((b) => b.identifier), ['ifeval', 'humaneval', 'gsm8k']);
    assert.equal(builtIn[2].provider_id, 'evalbench');

    await client.alpha.benchmarks.register({ benchmark_id: 'qa', dataset_id: dataset(), scoring_functions: ['basic::equality'] });
    const qa = await client.alpha.benchmarks.retrieve('qa');
    assert.equal(qa.identifier, 'qa');
    assert.deepEqual(qa.scoring_functions, ['basic::equality']);

    const job = await client.alpha.eval.runEval('qa', { benchmark_config: { eval_candidate: candidate } });
    assert.match(job.job_id, /fake-model/);
    assert.ok(['scheduled', 'in_progress', 'completed'].includes(job.status));
    const done = await until('the job to complete', async () => {
      const status = await client.alpha.eval.jobs.status('qa', job.job_id);
      return status.status === 'completed' ? status : undefined;
    });
    assert.equal(done.job_id, job.job_id);
    const result = await client.alpha.eval.jobs.retrieve('qa', job.job_id);
    assert.equal(result.generations.length, 4);
    assert.deepEqual(result.generations.map((g) => g.generated_answer), ['Paris', '4', 'warm', 'green']);
    const scores = result.scores['basic::equality'];
    assert.deepEqual(scores.score_rows.map((r) => r.score), [1, 1, 0, 1]);
    assert.deepEqual(scores.aggregated_results.accuracy, { accuracy: 0.75, num_correct: 3, num_total: 4 });

    // The job is an ordinary run.
    const list = await runCli(['list', '--out', path.join(tmp.path, 'runs'), '--json'], { cwd: tmp.path });
    assert.ok(JSON.parse(list.stdout).some((r: { id: string }) => r.id === job.job_id));

    // Errors in the client's shape.
    await assert.rejects(client.alpha.eval.jobs.status('qa', 'no-such-job'), (e: unknown) => e instanceof NotFoundError && /job 'no-such-job'/.test(JSON.stringify((e as NotFoundError).error)));
    await assert.rejects(client.alpha.benchmarks.retrieve('nope'), NotFoundError);
    await assert.rejects(client.alpha.eval.runEval('qa', { benchmark_config: { eval_candidate: { ...candidate, sampling_params: { max_tokens: -1 } } } }), (e: unknown) => (e as { status?: number }).status === 400);

    // Cancel a job in flight on a slow server: the result is 409 until then, the status says cancelled.
    model.setBehavior({ latencyMs: 60_000 });
    const slow = await client.alpha.eval.runEval('qa', { benchmark_config: { eval_candidate: candidate } });
    assert.equal((await client.alpha.eval.jobs.status('qa', slow.job_id)).status, 'in_progress');
    await assert.rejects(client.alpha.eval.jobs.retrieve('qa', slow.job_id), ConflictError);
    await client.alpha.eval.jobs.cancel('qa', slow.job_id);
    assert.equal((await client.alpha.eval.jobs.status('qa', slow.job_id)).status, 'cancelled');
    model.setBehavior({ latencyMs: 0 });

    // Evaluate rows: score given answers, no model call.
    const before = model.generationRequests().length;
    const rows = await client.alpha.eval.evaluateRows('qa', {
      benchmark_config: { eval_candidate: candidate, scoring_params: { 'regex_parser::answer': { type: 'regex_parser', parsing_regexes: ['Answer: (\\w+)'] } } },
      input_rows: [{ input_query: 'Capital of France?', generated_answer: 'I think. Answer: Paris', expected_answer: 'Paris' }, { input_query: '2+2?', generated_answer: 'no answer line', expected_answer: '4' }],
      scoring_functions: ['regex_parser::answer'],
    });
    const parsed = rows.scores['regex_parser::answer'];
    assert.deepEqual(parsed.score_rows.map((r) => r.score), [1, 0]);
    assert.match(String(parsed.score_rows[1].explanation), /no match for \/Answer: \(\\w\+\)\//);
    assert.equal(model.generationRequests().length, before);

    await client.alpha.benchmarks.unregister('qa');
    await assert.rejects(client.alpha.benchmarks.retrieve('qa'), NotFoundError);
  });

  it('runs a registered benchmark scored by llm_as_judge (judge_model, judge_score_regexes), storing the judge with the run', async () => {
    const model = await servers.start({
      models: ['fake-model', 'judge-model'],
      reply: (r) => {
        const content: string = r.body.messages.at(-1).content;
        if (r.body.model === 'judge-model') return content.includes('Paris') || content.includes('green') ? 'Good. Verdict: PASS' : 'Bad. Verdict: FAIL';
        return ANSWERS[content] ?? '?';
      },
    });
    const { url } = await serve(['--base-url', model.url]);
    const client = new LlamaStackClient({ baseURL: url, maxRetries: 0 });
    await client.alpha.benchmarks.register({ benchmark_id: 'judged', dataset_id: dataset(), scoring_functions: ['llm-as-judge::base'] });
    const job = await client.alpha.eval.runEval('judged', {
      benchmark_config: { eval_candidate: candidate, scoring_params: { 'llm-as-judge::base': { type: 'llm_as_judge', judge_model: 'judge-model', judge_score_regexes: ['Verdict: (PASS|FAIL)'] } } },
    });
    await until('the judged job to complete', async () => ((await client.alpha.eval.jobs.status('judged', job.job_id)).status === 'completed' ? true : undefined));
    const result = await client.alpha.eval.jobs.retrieve('judged', job.job_id);
    assert.deepEqual(result.scores['llm-as-judge::base'].score_rows.map((r) => r.score), [1, 0, 0, 1]);
    const show = await runCli(['show', job.job_id, '--out', path.join(tmp.path, 'runs'), '--json'], { cwd: tmp.path });
    assert.match(show.stdout, /"judge-model"/);
  });

  it('a job cut short by a killed server is resumed when serve starts again', async () => {
    const model = await servers.start({ reply: (r) => ANSWERS[r.body.messages.at(-1).content] ?? '?', latencyMs: 60_000 });
    const first = await serve(['--base-url', model.url]);
    let client = new LlamaStackClient({ baseURL: first.url, maxRetries: 0 });
    await client.alpha.benchmarks.register({ benchmark_id: 'qa', dataset_id: dataset(), scoring_functions: ['basic::equality'] });
    const job = await client.alpha.eval.runEval('qa', { benchmark_config: { eval_candidate: candidate } });
    await until('the requests to reach the model', async () => (model!.generationRequests().length > 0 ? true : undefined));
    first.child.kill('SIGKILL');
    await collect(first.child);

    model.setBehavior({ latencyMs: 0 });
    const second = await serve(['--base-url', model.url]);
    client = new LlamaStackClient({ baseURL: second.url, maxRetries: 0 });
    assert.equal((await client.alpha.benchmarks.retrieve('qa')).identifier, 'qa', 'registrations survive the restart');
    await until('the resumed job to complete', async () => ((await client.alpha.eval.jobs.status('qa', job.job_id)).status === 'completed' ? true : undefined)).catch((error) => {
      throw new Error(`${(error as Error).message}; serve said ${second.output()}`);
    });
    const result = await client.alpha.eval.jobs.retrieve('qa', job.job_id);
    assert.deepEqual(result.scores['basic::equality'].score_rows.map((r) => r.score), [1, 1, 0, 1]);
  });

  it('requires a bearer token when asked to, and refuses a non-loopback address without one', async () => {
    const model = await servers.start();
    const { url } = await serve(['--base-url', model.url, '--token', 's3cret']);
    await assert.rejects(new LlamaStackClient({ baseURL: url, maxRetries: 0 }).alpha.benchmarks.list(), AuthenticationError);
    const ok = await new LlamaStackClient({ baseURL: url, apiKey: 's3cret', maxRetries: 0 }).alpha.benchmarks.list();
    assert.equal(ok.length, 3);
    const open = await runCli(['serve', '--host', '0.0.0.0', '--port', '0', '--base-url', model.url, '--out', path.join(tmp.path, 'runs')], { cwd: tmp.path, env: { EVALBENCH_SERVE_TOKEN: '' } });
    assert.equal(open.code, 2, 'a usage error, said in one line');
    assert.match(open.stderr, /not loopback\) needs a bearer token/);
    assert.doesNotMatch(open.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
  });

  it("answers a client's mistakes with 400/404, scores rows with an LLM judge, and never overwrites state it cannot read", async () => {
    const model = await servers.start({
      models: ['fake-model', 'judge-model'],
      reply: (r) => (r.body.model === 'judge-model' ? (r.body.messages.at(-1).content.includes('Paris') ? 'Verdict: PASS' : 'Verdict: FAIL') : '?'),
    });
    const { url, child } = await serve(['--base-url', model.url]);
    const post = (route: string, body: string) => fetch(`${url}/v1alpha/eval/benchmarks${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const nullBody = await post('', 'null');
    assert.deepEqual([nullBody.status, ((await nullBody.json()) as { detail: string }).detail], [400, 'the request body must be a JSON object']);
    assert.equal((await fetch(`${url}/v1alpha/eval/benchmarks/%E0%A4%A`)).status, 400, 'a malformed %-escape');
    assert.equal((await post('', JSON.stringify({ benchmark_id: 'qa', dataset_id: dataset(), scoring_functions: ['llm-as-judge::base'] }))).status, 200);
    assert.equal((await post('/qa/evaluations', JSON.stringify({ input_rows: [], scoring_functions: [5] }))).status, 400);
    assert.equal((await post('/gsm8k/evaluations', JSON.stringify({ input_rows: [{ generated_answer: 'x' }] }))).status, 400, 'a row without its item id');
    const notADataset = await post('', JSON.stringify({ benchmark_id: 'x5', dataset_id: '/etc/passwd', scoring_functions: ['basic::equality'] }));
    assert.deepEqual([notADataset.status, ((await notADataset.json()) as { detail: string }).detail], [400, 'dataset_id must be the path of a .jsonl (or .jsonl.gz) dataset file']);
    assert.equal((await post('', JSON.stringify({ benchmark_id: 'exact', dataset_id: dataset(), scoring_functions: ['basic::equality'] }))).status, 200);
    const hot = await post('/exact/jobs', JSON.stringify({ benchmark_config: { eval_candidate: { ...candidate, sampling_params: { strategy: { type: 'top_p', temperature: 'hot' } } } } }));
    assert.deepEqual([hot.status, ((await hot.json()) as { detail: string }).detail], [400, 'sampling_params.strategy.temperature must be a number between 0 and 2, got "hot"']);
    // Rows scored by the judge: its template and grade regexes resolved as a job's are, not every row a scoring error.
    const judged = await post('/qa/evaluations', JSON.stringify({
      input_rows: [{ input_query: 'Capital of France?', generated_answer: 'Paris', expected_answer: 'Paris' }, { input_query: '2+2?', generated_answer: '5', expected_answer: '4' }],
      benchmark_config: { scoring_params: { 'llm-as-judge::base': { judge_model: 'judge-model', judge_score_regexes: ['Verdict: (PASS|FAIL)'] } } },
    }));
    assert.equal(judged.status, 200);
    const rows = ((await judged.json()) as { scores: Record<string, { score_rows: { outcome: string }[] }> }).scores['llm-as-judge::base'].score_rows;
    assert.deepEqual(rows.map((r) => r.outcome), ['passed', 'wrong']);
    child.kill('SIGTERM');
    await collect(child);

    // A registrations file that no longer parses stops the server; the file is left as it was.
    const state = path.join(tmp.path, 'runs', 'serve', 'benchmarks.json');
    const broken = `${fs.readFileSync(state, 'utf8').trimEnd().replace(/\]$/, ',]')}\n`;
    fs.writeFileSync(state, broken);
    const refused = await runCli(['serve', '--port', '0', '--base-url', model.url, '--out', path.join(tmp.path, 'runs')], { cwd: tmp.path });
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /benchmarks\.json is not valid JSON .*the server did not start, and the file was left as it is/s);
    assert.equal(fs.readFileSync(state, 'utf8'), broken);
  });
});
