import * as path from 'node:path';
import { JudgeClient, prepareJudge } from '../../core/judge';
import { judgePairwise, PAIRWISE } from '../../core/judge/pairwise';
import { describePairwise, pairwiseInputs, savePairwiseReport } from '../../core/judge/pairwiseRuns';
import { RunStore } from '../../core/storage/runStore';
import { UsageError, defaultCacheDir, numberOption, parse, runRefFrom, runsDirFrom } from '../args';
import type { CliCommand } from '../command';
import { JUDGE_OPTIONS, judgeFrom } from '../judgeOptions';

const usage = `evalbench pairwise RUN_A RUN_B --judge-base-url URL --judge-model ID [options]

Have an LLM judge compare two runs of the same benchmark item by item (e.g. full precision vs quantized).
Each item is judged twice, with the replies in both orders; a verdict counts only when it agrees across
the swap, so a judge that favours a position cannot make either run win. Prints win/tie/loss from B's
side with B's win rate and its 95% confidence interval, and stores the report beside the runs, where
'evalbench compare RUN_A RUN_B' shows it. Exits 1 when the judge gave no usable verdict for any item.
  --judge-base-url URL   the judge's OpenAI-compatible server
  --judge-model ID       the judge model
  --judge-api-key KEY    or set EVALBENCH_JUDGE_API_KEY (never stored)
  --judge-concurrency N  judge requests in flight (default 2)
  --judge-template FILE  template with {{prompt}} {{reference}} {{response_a}} {{response_b}}
  --judge-regex RE       regex whose capture group reads A, B or C (tie); default \\[\\[(A|B|C)\\]\\]
  --judge-max-tokens N  --judge-temperature T   the judge's sampling (default 512, 0)
  --limit N              only the first N items both runs answered
  --runs-dir DIR         where run files are (default .evalbench/runs)
  --cache-dir DIR        judge replies are cached in DIR/judge-cache (default ~/.cache/evalbench)
  --retries N            judge retries on connection errors, 408, 429, 5xx (default 4)
  --json                 print the report as JSON`;

const options = {
  ...JUDGE_OPTIONS,
  limit: { type: 'string' },
  'runs-dir': { type: 'string' },
  out: { type: 'string' },
  'cache-dir': { type: 'string' },
  retries: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const pairwiseCommand: CliCommand = {
  name: 'pairwise',
  summary: 'judge two runs against each other with an LLM judge, in both orders',
  usage,
  async run(argv, io) {
    const { values, positionals } = parse(argv, options, true);
    if (positionals.length !== 2) throw new UsageError('give two runs: evalbench pairwise RUN_A RUN_B --judge-base-url URL --judge-model ID');
    const judgeInput = judgeFrom(values, io.cwd);
    if (!judgeInput) throw new UsageError('--judge-base-url and --judge-model are required');
    const limit = numberOption(values.limit, 'limit', { integer: true, min: 1 });
    const retries = numberOption(values.retries, 'retries', { integer: true, min: 0 });
    const apiKey = values['judge-api-key'] ?? io.env.EVALBENCH_JUDGE_API_KEY;
    const runsDir = runsDirFrom(values['runs-dir'] ?? values.out, io.cwd);
    const store = new RunStore(runsDir);
    const readerA = await store.openReader(runRefFrom(positionals[0], io.cwd));
    let readerB;
    try {
      readerB = await store.openReader(runRefFrom(positionals[1], io.cwd));
    } catch (error) {
      readerA.close();
      throw error;
    }
    let prepared;
    try {
      prepared = pairwiseInputs(readerA, readerB);
    } finally {
      readerA.close();
      readerB.close();
    }
    const runA = readerA.run().id;
    const runB = readerB.run().id;
    // Items are paired by id: with two different dataset files, the same id may be another question.
    const [configA, configB] = [readerA.run().config, readerB.run().config];
    if (configA.benchmarkId !== configB.benchmarkId || configA.datasetSha256 !== configB.datasetSha256) {
      io.stderr.write(`warning: the runs used different datasets (${configA.benchmarkId} sha256 ${configA.datasetSha256.slice(0, 12)} vs ${configB.benchmarkId} sha256 ${configB.datasetSha256.slice(0, 12)}); items are paired by id, which may name different questions\n`);
    }
    const inputs = limit !== undefined ? prepared.inputs.slice(0, limit) : prepared.inputs;
    if (inputs.length === 0) throw new UsageError(`runs ${runA} and ${runB} have no item that both answered`);
    const config = await prepareJudge(judgeInput, { apiKey, signal: io.signal, kind: PAIRWISE });
    const client = new JudgeClient(config, {
      apiKey,
      cacheDir: path.join(values['cache-dir'] ?? defaultCacheDir(io.env), 'judge-cache'),
      clientOptions: retries !== undefined ? { retry: { maxRetries: retries, baseDelayMs: 500, maxDelayMs: 30_000 } } : {},
    });
    const report = await judgePairwise({ runA, runB }, inputs, client, { signal: io.signal });
    const file = savePairwiseReport(runsDir, report);
    if (values.json) {
      io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      const lines = [`A  run ${runA}`, `B  run ${runB}`, ...describePairwise(report)];
      if (prepared.skipped > 0) lines.push(`  ${prepared.skipped} item(s) left out: not answered by both runs`);
      lines.push(`  judge calls: ${client.stats.asked} asked, ${client.stats.cached} from the cache`, '', `stored in ${file}`);
      io.stdout.write(`${lines.join('\n')}\n`);
    }
    // As run with no reply: when no item got a verdict (the judge failed, or it only ever preferred one position),
    // the work failed.
    const verdicts = report.counts.win + report.counts.tie + report.counts.loss;
    if (verdicts === 0) {
      const why = report.counts.inconsistent > 0 ? `; ${report.counts.inconsistent} were inconsistent across the swap (position bias)` : '';
      io.stderr.write(`evalbench pairwise: the judge gave no usable verdict for any of the ${report.judged} items${why}\n`);
      return 1;
    }
    return 0;
  },
};
