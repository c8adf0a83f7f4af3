/**
 * The CLI's scoring: IFEval in the calling process with the worker's own scorer registry (the same verdicts
 * the worker gives), every other benchmark in the worker, which is started only when one is asked for.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { getBenchmarkDefinition } from '../../../src/core/benchmarks/registry';
import type { BenchmarkItem, ItemScore, ScoreRequest } from '../../../src/core/benchmarks/types';
import { CliScoring, InProcessScoring } from '../../../src/core/scoring/inProcessScoring';
import { ScoringWorkerClient, type ScoringService } from '../../../src/core/scoring/scoringWorkerClient';
import { tsxExecArgv } from '../../../src/core/scoring/workerLocation';
import { runCli } from '../../support/cliProcess';
import { useTempDir } from '../../support/tempDir';

const realWorker = path.resolve(__dirname, '../../../src/worker/scoringWorker.ts');

/** A service that records what reached it and answers from `answer`: stands in for the worker's side. */
class RecordingService implements ScoringService {
  readonly requests: ScoreRequest[] = [];
  disposed = false;
  constructor(private readonly answer: (request: ScoreRequest) => ItemScore) {}
  async score(request: ScoreRequest): Promise<ItemScore> {
    this.requests.push(request);
    return this.answer(request);
  }
  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

const responses = [
  'A short answer, in lower case.',
  'Une réponse en français, sans majuscules. *highlighted* section\n\n***\n\nP.S. done',
  '{"answer": "JSON only"}',
  'WORD WORD WORD. Two sentences here! And a third one?',
];

describe('InProcessScoring and CliScoring', function () {
  this.timeout(120_000);
  const tmp = useTempDir('evalbench-inprocess-');
  let items: BenchmarkItem[] = [];
  before(async () => {
    const dataset = await getBenchmarkDefinition('ifeval', {}).loadDataset({ cacheDir: path.join(os.tmpdir(), 'evalbench-inprocess-data') });
    items = dataset.items.slice(0, 12);
  });

  it('gives the IFEval verdicts the scoring worker gives, without starting a worker', async () => {
    let workersStarted = 0;
    const cli = new CliScoring({ cacheDir: tmp.path, worker: () => (workersStarted++, new RecordingService(() => assert.fail('IFEval reached the worker'))) });
    const worker = new ScoringWorkerClient({ workerPath: realWorker, execArgv: tsxExecArgv(), cacheDir: tmp.path });
    try {
      const requests = items.flatMap((item) => responses.map((response): ScoreRequest => ({ benchmarkId: 'ifeval', item, response, options: {} })));
      const here = await Promise.all(requests.map((r) => cli.score(r)));
      const there = await Promise.all(requests.map((r) => worker.score(r)));
      assert.deepEqual(here, there);
      assert.ok(here.some((s) => s.passed) && here.some((s) => !s.passed), 'the rows include passes and failures');
      assert.equal(workersStarted, 0);
    } finally {
      await Promise.all([cli.dispose(), worker.dispose()]);
    }
  });

  it('sends other benchmarks to one worker, started on first need, and disposes it', async () => {
    const made: RecordingService[] = [];
    const verdict: ItemScore = { passed: true, score: 1, values: {}, explanation: [] };
    const cli = new CliScoring({ cacheDir: tmp.path, worker: () => made[made.push(new RecordingService(() => verdict)) - 1] });
    const custom = (id: string): ScoreRequest => ({ benchmarkId: 'custom', item: { id, data: { prompt: 'p', expected: ['4'], scorer: 'exact', ignoreCase: false } }, response: '4' });
    assert.equal(made.length, 0);
    assert.deepEqual(await cli.score(custom('a')), verdict);
    await cli.score(custom('b'));
    assert.equal(made.length, 1);
    assert.deepEqual(made[0].requests.map((r) => r.item.id), ['a', 'b']);
    await cli.dispose();
    assert.equal(made[0].disposed, true);
  });

  it('disposes a worker started ahead of any request (a command that stops on an error before scoring)', async () => {
    const made: RecordingService[] = [];
    const cli = new CliScoring({ cacheDir: tmp.path, worker: () => made[made.push(new RecordingService(() => assert.fail('no request'))) - 1] });
    cli.startWorker();
    assert.equal(cli.startWorker(), made[0], 'one worker');
    await cli.dispose();
    assert.deepEqual(made.map((m) => m.disposed), [true]);
  });

  it('words a scorer failure as the worker client does, and refuses work after a cancel', async () => {
    const scoring = new InProcessScoring({ cacheDir: tmp.path });
    try {
      const missing = path.join(tmp.path, 'no-such-punkt');
      await assert.rejects(
        scoring.score({ benchmarkId: 'ifeval', item: items[0], response: 'x', options: { punktDir: missing } }),
        (error: Error) => error.name === 'ScoringError' && /^scoring item \S+ failed: Punkt folder .*no-such-punkt/.test(error.message),
      );
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(scoring.score({ benchmarkId: 'ifeval', item: items[0], response: 'x' }, controller.signal), /cancelled/);
    } finally {
      await scoring.dispose();
    }
  });

  it('keeps the saved language model in the cache folder `score --cache-dir` names, as the worker did', async () => {
    const rows = path.join(tmp.path, 'rows.jsonl');
    // Key 1108 asks for a reply in Kannada: scoring it loads the language model.
    fs.writeFileSync(rows, `${JSON.stringify({ key: 1108, response: 'This reply is in English.' })}\n`);
    const cacheDir = path.join(tmp.path, 'cache');
    const result = await runCli(['score', '--benchmark', 'ifeval', '--responses', rows, '--json', '--cache-dir', cacheDir], { cwd: tmp.path });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout.split('\n')[0]).follow_all_strict, false);
    const saved = fs.readdirSync(path.join(cacheDir, 'langdetect'));
    assert.equal(saved.filter((f) => /^model-[0-9a-f]+\.bin$/.test(f)).length, 1, saved.join(', '));
  });
});
