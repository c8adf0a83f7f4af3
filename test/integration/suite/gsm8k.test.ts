/**
 * GSM8K from Run Eval in a real VS Code: the benchmark is offered by the picker's list and a run
 * against a loopback fake model server lands in the runs tree with its strict headline.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startFakeModelServer, type FakeModelServer, type RecordedRequest } from '../../support/fakeModelServer';
import type { EvalBenchApi } from '../../../src/extension/extension';
import type { RunSummary } from '../../../src/core/storage/types';
import { BENCHMARK_CHOICES } from '../../../src/extension/runEval/runRequestBuilder';

const PROBLEMS = [
  { question: 'Tom has 3 apples and buys 4 more. How many apples?', answer: '3+4=<<3+4=7>>7\n#### 7' },
  { question: 'There are 9 birds and 4 fly away. How many remain?', answer: '9-4=<<9-4=5>>5\n#### 5' },
];

describe('GSM8K in VS Code', function () {
  // A test waits for a run (up to 45 s) and then for panels and tree nodes (30 s each): those budgets say what
  // timed out on a slow box; the suite's 60 s default would cut them short with a bare mocha timeout instead.
  this.timeout(240_000);
  let server: FakeModelServer;
  let tmp: string;

  before(async () => {
    server = await startFakeModelServer({
      kind: 'llama.cpp',
      models: ['fake-model'],
      reply: (r: RecordedRequest) => (String(r.body?.messages?.at(-1)?.content).includes('Tom') ? 'So 3 + 4 = 7.\nThe answer is 7.' : 'The answer is 6.'),
    });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-it-gsm8k-'));
    fs.writeFileSync(path.join(tmp, 'test.jsonl'), PROBLEMS.map((p) => JSON.stringify(p)).join('\n') + '\n');
  });

  after(async () => {
    await server?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('offers GSM8K in Run Eval and runs it against a loopback server', async () => {
    assert.ok(BENCHMARK_CHOICES.some((c) => c.id === 'gsm8k' && c.label === 'GSM8K'));
    const extension = vscode.extensions.all.find((e) => e.packageJSON?.name === 'evalbench');
    assert.ok(extension);
    const api = (extension.isActive ? extension.exports : await extension.activate()) as EvalBenchApi;
    const [runId] = (await vscode.commands.executeCommand('evalbench.runEval', {
      baseUrl: server.url,
      models: ['fake-model'],
      benchmarks: ['gsm8k'],
      datasetFiles: { gsm8k: path.join(tmp, 'test.jsonl') },
    })) as string[];
    const file = path.join(api.runsDir(), `${runId}.summary.json`);
    const deadline = Date.now() + 45_000;
    let summary: RunSummary | undefined;
    while (!summary) {
      if (fs.existsSync(file)) {
        try {
          const read = JSON.parse(fs.readFileSync(file, 'utf8')) as RunSummary;
          if (read.status !== 'running' && read.status !== 'queued') summary = read;
        } catch {
          // written while we read
        }
      }
      if (!summary && Date.now() > deadline) throw new Error(`run ${runId} did not finish`);
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(summary.status, 'done');
    assert.equal(summary.benchmarkId, 'gsm8k');
    assert.equal(summary.counts.total, 2);
    assert.equal(summary.headline?.value, 0.5, 'problem 0 right, problem 1 wrong');
    api.runsTree.refresh();
    const groups = await api.runsTree.getChildren();
    assert.ok(groups.some((g) => g.toTreeItem().label === 'GSM8K'), 'the runs tree has a GSM8K group');
  });
});
