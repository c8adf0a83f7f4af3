/**
 * The LLM-as-judge scorer end to end: a custom JSONL run from the CLI against a loopback model server,
 * graded by a scripted loopback judge server. A failed or unreadable judge reply is a scoring error.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../support/cliProcess';
import type { RecordedRequest } from '../../support/fakeModelServer';
import { useFakeModelServers } from '../../support/useFakeModelServer';
import { useTempDir } from '../../support/tempDir';
import { RunStore } from '../../../src/core/storage/runStore';
import { parseVerdict, resolveJudgeConfig } from '../../../src/core/judge';
import { loadCustomDataset } from '../../../src/core/benchmarks/custom/dataset';

const ROWS = [
  { id: 'paris', prompt: 'Capital of France?', reference: 'Paris', scorer: 'judge' },
  { id: 'cold', prompt: 'Opposite of hot?', rubric: 'Says cold (or a synonym such as chilly).', scorer: 'judge' },
  { id: 'unreadable', prompt: 'Colour of the sky?', reference: 'blue', scorer: 'judge' },
  { id: 'judge-down', prompt: 'Two plus two?', reference: '4', scorer: 'judge' },
  { id: 'exact', prompt: 'Say yes', expected: 'yes' },
];

const MODEL_REPLIES: Record<string, string> = {
  'Capital of France?': 'Paris.',
  'Opposite of hot?': 'warm',
  'Colour of the sky?': 'Blue.',
  'Two plus two?': '4',
  'Say yes': 'yes',
};

function judgeReply(request: RecordedRequest) {
  const prompt: string = request.body.messages.at(-1).content;
  if (prompt.includes('Colour of the sky?')) return 'Hmm, I would rather not say.';
  if (prompt.includes('Two plus two?')) return { type: 'serverError' as const };
  const answer = prompt.slice(prompt.indexOf("[Assistant's answer]"));
  if (prompt.includes('Capital of France?')) return `The answer names the capital correctly.\nVerdict: ${answer.includes('Paris') ? 'PASS' : 'FAIL'}`;
  return `"warm" is not the opposite of hot.\nVerdict: ${/cold|chilly/.test(answer) ? 'PASS' : 'FAIL'}`;
}

describe('LLM judge scorer', function () {
  this.timeout(120_000);
  const tmp = useTempDir();
  const servers = useFakeModelServers();

  it('grades judge rows through the judge, stores judge facts, and turns judge failures into scoring errors', async () => {
    const model = await servers.start({ reply: (r) => MODEL_REPLIES[r.body.messages.at(-1).content] ?? '?' });
    const judge = await servers.start({ kind: 'llama.cpp', models: ['big-judge'], reply: judgeReply });
    const dataset = path.join(tmp.path, 'judged.jsonl');
    fs.writeFileSync(dataset, ROWS.map((r) => JSON.stringify(r)).join('\n'));
    const out = path.join(tmp.path, 'runs');
    const cacheDir = path.join(tmp.path, 'cache');
    const args = ['run', '--base-url', model.url, '--model', 'fake-model', '--benchmark', `custom:${dataset}`, '--out', out, '--cache-dir', cacheDir, '--retries', '0', '--json',
      '--judge-base-url', judge.url, '--judge-model', 'big-judge', '--judge-concurrency', '1'];
    const run = await runCli(args, { cwd: tmp.path });
    // Two scoring errors: the run is done with errors, and the metrics leave those samples out.
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /done with errors \(2 scoring errors\); metrics are over 3 judged samples/);
    const record = JSON.parse(run.stdout);
    const stored = record.config.benchmarkOptions.judge;
    assert.equal(stored.model, 'big-judge');
    assert.equal(stored.scale, 'pass-fail');
    assert.match(stored.template, /\{\{response\}\}/);
    assert.deepEqual(stored.sampling, { temperature: 0, max_tokens: 512 });
    assert.equal(stored.concurrency, 1);
    assert.equal(stored.serverFacts.kind, 'llama.cpp');
    assert.equal(JSON.stringify(record).includes('apiKey'), false);

    const reader = await new RunStore(out).openReader(record.id);
    const samples = new Map(reader.samples().map((s) => [s.itemId, s]));
    reader.close();
    const paris = samples.get('paris')!;
    assert.equal(paris.score!.passed, true, JSON.stringify(paris.score));
    assert.match(paris.score!.explanation[0].detail, /judge big-judge graded PASS \(pass-fail/);
    assert.equal((paris.score!.details as any).judge.reply.endsWith('Verdict: PASS'), true);
    assert.equal(samples.get('cold')!.score!.passed, false);
    assert.equal(samples.get('cold')!.score!.failureCause, 'judged_wrong');
    // Neither an unreadable nor a failed judge reply is a verdict.
    for (const id of ['unreadable', 'judge-down']) {
      const score = samples.get(id)!.score!;
      assert.equal(score.passed, false);
      assert.equal(score.failureCause, 'scoring_error', id);
      assert.equal(samples.get(id)!.status, 'done', 'the model did answer');
    }
    assert.match(samples.get('unreadable')!.score!.explanation[0].detail, /no pass-fail grade readable by/);
    assert.match(samples.get('judge-down')!.score!.explanation[0].detail, /the judge big-judge at .* did not answer for item judge-down/);
    assert.equal(samples.get('exact')!.score!.passed, true, 'rows without the judge scorer are scored as before');
    // The model's speed figures come from its own requests only: 5 model requests, judge requests elsewhere.
    assert.equal(model.generationRequests().length, 5);
    assert.equal(judge.generationRequests().length, 4);
    // Model replies, hence judge requests, come in whatever order the lanes finish: find Paris's by its question.
    const judgePrompts = judge.generationRequests().map((r) => r.body.messages[0].content as string);
    const judgePrompt = judgePrompts.find((p) => p.includes('Capital of France?'));
    assert.ok(judgePrompt, judgePrompts.join('\n---\n'));
    assert.match(judgePrompt, /\[Question\]\nCapital of France\?\n\n\[Reference answer\]\nParis/);
    assert.match(judgePrompt, /"Verdict: PASS" or "Verdict: FAIL"/);

    // A second run of the same rows asks the judge only what it did not answer before: replies are cached
    // (an unreadable one too: its text is kept so a better score regex can read it without asking again).
    const again = await runCli([...args, '--allow-errors'], { cwd: tmp.path });
    assert.equal(again.code, 0, again.stderr);
    const cachedAsks = judge.generationRequests().slice(4).map((r) => r.body.messages[0].content as string);
    assert.equal(cachedAsks.length, 1, 'only the row whose judge call failed is asked again');
    assert.match(cachedAsks[0], /Two plus two/);
    const second = JSON.parse(again.stdout);
    const reader2 = await new RunStore(out).openReader(second.id);
    const paris2 = reader2.samples().find((s) => s.itemId === 'paris')!;
    reader2.close();
    assert.match(paris2.score!.explanation[0].detail, /\[cached\]/);
  });

  it('asks for a judge only when rows need one: none given for judge rows is a clear error, one given for none is not used', async () => {
    const model = await servers.start({ reply: () => 'yes' });
    const judgeRows = path.join(tmp.path, 'judged.jsonl');
    fs.writeFileSync(judgeRows, JSON.stringify({ id: 'a', prompt: 'Say yes', reference: 'yes', scorer: 'judge' }));
    const plainRows = path.join(tmp.path, 'plain.jsonl');
    fs.writeFileSync(plainRows, JSON.stringify({ id: 'a', prompt: 'Say yes', expected: 'yes' }));
    const out = path.join(tmp.path, 'runs');
    const missing = await runCli(['run', '--base-url', model.url, '--model', 'fake-model', '--benchmark', `custom:${judgeRows}`, '--out', out], { cwd: tmp.path });
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /1 row\(s\) use the 'judge' scorer, but no judge was given/);
    // The judge URL points nowhere: it is neither probed nor stored when no row needs it.
    const unused = await runCli(['run', '--base-url', model.url, '--model', 'fake-model', '--benchmark', `custom:${plainRows}`, '--out', out, '--json', '--judge-base-url', 'http://127.0.0.1:9/v1', '--judge-model', 'x'], { cwd: tmp.path });
    assert.equal(unused.code, 0, unused.stderr);
    assert.equal(JSON.parse(unused.stdout).config.benchmarkOptions.judge, undefined);
  });

  it('reads letter and 1–10 grades with the configured regexes and pass mark', () => {
    const letter = resolveJudgeConfig({ baseUrl: 'http://127.0.0.1:1/v1', model: 'j', scale: 'letter' });
    assert.deepEqual(parseVerdict('Good work.\nGrade: B', 'letter', letter.scoreRegexes, letter.passAt), { grade: 'B', score: 0.75, passed: true, pattern: letter.scoreRegexes[0] });
    assert.equal(parseVerdict('Grade: D', 'letter', letter.scoreRegexes, letter.passAt)?.passed, false);
    assert.equal(parseVerdict('Grade: G', 'letter', letter.scoreRegexes, letter.passAt), undefined);
    const ten = resolveJudgeConfig({ baseUrl: 'http://127.0.0.1:1/v1', model: 'j', scale: '1-10' });
    assert.equal(parseVerdict('Score: 3/10 at first... final Score: 8/10', '1-10', ten.scoreRegexes, ten.passAt)?.score, 0.8);
    assert.equal(parseVerdict('Score: 11', '1-10', ten.scoreRegexes, ten.passAt), undefined);
    const custom = resolveJudgeConfig({ baseUrl: 'http://127.0.0.1:1/v1', model: 'j', scale: '1-10', scoreRegexes: [String.raw`\[\[(\d+)\]\]`], passAt: 0.5 });
    assert.equal(parseVerdict('Rating: [[5]]', '1-10', custom.scoreRegexes, custom.passAt)?.passed, true);
    assert.throws(() => resolveJudgeConfig({ baseUrl: 'http://x/v1', model: 'j', scoreRegexes: ['no group'] }), /needs one capture group/);
    assert.throws(() => resolveJudgeConfig({ baseUrl: 'http://x/v1', model: 'j', template: 'no placeholder' }), /must contain \{\{response\}\}/);
  });

  it('a judge row without rubric or reference is refused, naming its line', () => {
    const dataset = path.join(tmp.path, 'bad.jsonl');
    fs.writeFileSync(dataset, `${JSON.stringify({ id: 'a', prompt: 'x', expected: 'x' })}\n${JSON.stringify({ id: 'b', prompt: 'y', scorer: 'judge' })}\n`);
    assert.throws(() => loadCustomDataset(dataset), /bad\.jsonl:2: the 'judge' scorer needs a 'rubric' or a 'reference'/);
  });
});
