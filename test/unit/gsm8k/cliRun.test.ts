/** A GSM8K run from the CLI against a loopback fake server: right, wrong, unmarked and failed replies. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../support/cliProcess';
import type { RecordedRequest } from '../../support/fakeModelServer';
import { useFakeModelServers } from '../../support/useFakeModelServer';
import { useTempDir } from '../../support/tempDir';

const PROBLEMS = [
  { question: 'Tom has 3 apples and buys 4 more. How many apples?', answer: 'He has 3+4=<<3+4=7>>7 apples.\n#### 7' },
  { question: 'A pen costs $1,250. What do 2 pens cost?', answer: '2*1250=<<2*1250=2500>>2500\n#### 2500' },
  { question: 'Sara reads 10 pages a day for 3 days. How many pages?', answer: '10*3=<<10*3=30>>30\n#### 30' },
  { question: 'There are 9 birds and 4 fly away. How many remain?', answer: '9-4=<<9-4=5>>5\n#### 5' },
  { question: 'The server breaks on this one. What is 1+1?', answer: '1+1=<<1+1=2>>2\n#### 2' },
];

function lastQuestion(request: RecordedRequest): string {
  const body = request.body ?? {};
  return Array.isArray(body.messages) ? body.messages.at(-1).content : body.prompt;
}

describe('GSM8K from the CLI', function () {
  this.timeout(120_000);
  const tmp = useTempDir();
  const servers = useFakeModelServers();

  function dataset(): string {
    const dir = path.join(tmp.path, 'gsm8k');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'test.jsonl'), PROBLEMS.map((p) => JSON.stringify(p)).join('\n'));
    fs.writeFileSync(path.join(dir, 'train.jsonl'), [JSON.stringify({ question: 'Exemplar: 2 and 2?', answer: '2+2=<<2+2=4>>4\n#### 4' })].join('\n'));
    return path.join(dir, 'test.jsonl');
  }

  it('runs zero-shot chat: strict and flexible metrics over the 4 judged problems, a failed request left out and counted', async () => {
    const server = await servers.start({
      reply: (r) => {
        const q = lastQuestion(r);
        if (q.includes('Tom has')) return 'Tom has 3 + 4 = 7 apples.\nThe answer is 7.';
        if (q.includes('A pen costs')) return 'Two pens cost 2 x $1,250 = $2,500.\nThe answer is $2,500.00.';
        if (q.includes('Sara reads')) return 'She reads 10 pages for 3 days, 30 pages in all.';
        if (q.includes('birds')) return 'The answer is 13.';
        return { type: 'status', status: 400, message: 'bad request' };
      },
    });
    const out = path.join(tmp.path, 'runs');
    const run = await runCli(['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', `gsm8k:${dataset()}`, '--out', out, '--retries', '0', '--allow-errors'], { cwd: tmp.path });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /done with errors \(1 request failure\)/);
    assert.match(run.stdout, /benchmark gsm8k v1/);
    // A failed request is not a wrong answer: the metrics are over the 4 judged problems.
    assert.match(run.stdout, /Exact match, strict \(after "The answer is"\)\s+50\.0%\s+4/);
    assert.match(run.stdout, /Exact match, flexible \(last number\)\s+75\.0%\s+4/);
    assert.match(run.stdout, /2#0 \[wrong\]: strict \(strict\): no number after "The answer is" or "####" in the reply; reference 30/);
    assert.match(run.stdout, /3#0 \[wrong\]: strict \(strict\): read 13 \(line 1, character 15\) after "The answer is"; reference 5/);
    // The prompt asked for the answer form the strict extraction reads.
    const first = server.generationRequests()[0].body;
    assert.match(first.messages[0].content, /end your reply with a line of the form "The answer is N\."/);
    assert.equal(first.max_tokens, 1024);

    const list = JSON.parse((await runCli(['list', '--out', out, '--json'], { cwd: tmp.path })).stdout);
    assert.equal(list[0].benchmarkId, 'gsm8k');
    const show = await runCli(['show', list[0].id, '--out', out], { cwd: tmp.path });
    assert.match(show.stdout, /request failed\s+http_error \(server error status\)\s+1/);
    assert.match(show.stdout, /wrong\s+no_answer_found \(no answer found\)\s+1/);
    assert.match(show.stdout, /wrong\s+wrong \(wrong answer\)\s+1/);
  });

  it('runs few-shot completions with exemplars from train.jsonl, and scores a responses file', async () => {
    const server = await servers.start({ reply: () => ' 3 + 4 = 7. The answer is 7.' });
    const out = path.join(tmp.path, 'runs');
    const run = await runCli(
      ['run', '--base-url', server.url, '--model', 'fake-model', '--mode', 'completions', '--shots', '1', '--benchmark', 'gsm8k', '--dataset', dataset(), '--out', out, '--limit', '2', '--json'],
      { cwd: tmp.path },
    );
    assert.equal(run.code, 0, run.stderr);
    const record = JSON.parse(run.stdout);
    assert.deepEqual(record.metrics.map((m: { value: number }) => m.value), [0.5, 0.5]);
    assert.equal(record.config.benchmarkOptions.shots, 1);
    const body = server.generationRequests()[0].body;
    assert.equal(body.prompt, `Q: Exemplar: 2 and 2?\nA: 2+2=4. The answer is 4.\n\nQ: ${PROBLEMS[0].question}\nA:`);
    assert.deepEqual(body.stop, ['Q:', '</s>', '<|im_end|>']);

    const responses = path.join(tmp.path, 'responses.jsonl');
    fs.writeFileSync(responses, [JSON.stringify({ id: 1, response: 'The answer is 2,500' }), JSON.stringify({ id: '3', response: 'maybe 5' })].join('\n'));
    const scored = await runCli(['score', '--benchmark', 'gsm8k', '--dataset', dataset(), '--responses', responses, '--json'], { cwd: tmp.path });
    assert.equal(scored.code, 0, scored.stderr);
    const [a, b] = scored.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual([a.id, a.strict, a.strict_correct, a.flexible_correct], ['1', '2500', true, true]);
    assert.deepEqual([b.id, b.strict, b.strict_correct, b.flexible, b.flexible_correct], ['3', null, false, '5', true]);
  });
});
