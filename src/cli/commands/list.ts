import { errorCount, finishedCount, headlineText, RUN_STATUS_WORDS, runStatusLabel } from '../../core/outcome';
import { RunStore } from '../../core/storage/runStore';
import { UsageError, parse, runsDirFrom } from '../args';
import type { CliCommand } from '../command';
import { table } from '../format';

const usage = `evalbench list [--runs-dir DIR] [--benchmark ID] [--model ID] [--status STATUS] [--json]

List stored runs, newest first (reads only each run's small summary file).
  --status STATUS  queued | running | done | done_with_errors | failed | cancelled | interrupted`;

export const listCommand: CliCommand = {
  name: 'list',
  summary: 'list stored runs',
  usage,
  async run(argv, io) {
    const { values } = parse(argv, {
      out: { type: 'string' },
      'runs-dir': { type: 'string' },
      benchmark: { type: 'string' },
      model: { type: 'string' },
      status: { type: 'string' },
      json: { type: 'boolean' },
    });
    const statuses = Object.keys(RUN_STATUS_WORDS);
    // A mistyped status would match nothing and read as "no runs".
    if (values.status !== undefined && !statuses.includes(values.status)) throw new UsageError(`--status must be one of ${statuses.join(', ')}; got '${values.status}'`);
    const store = new RunStore(runsDirFrom(values['runs-dir'] ?? values.out, io.cwd));
    // A run file that cannot be read is said, never silently left out of the list.
    const problems: string[] = [];
    const all = await store.listSummaries({ onProblem: (file, reason) => problems.push(`${file}: ${reason}`) });
    for (const problem of problems) io.stderr.write(`evalbench list: cannot read ${problem}\n`);
    const summaries = all.filter(
      (s) =>
        (!values.benchmark || s.benchmarkId === values.benchmark) &&
        (!values.model || s.model.includes(values.model)) &&
        (!values.status || s.status === values.status),
    );
    if (values.json) {
      io.stdout.write(`${JSON.stringify(summaries, null, 2)}\n`);
      return 0;
    }
    if (summaries.length === 0) {
      const filters = (['benchmark', 'model', 'status'] as const).filter((f) => values[f] !== undefined).map((f) => `--${f} ${values[f]}`);
      // Runs left out by a filter are not absent: say how many there are.
      if (all.length > 0 && filters.length > 0) io.stdout.write(`no run matches ${filters.join(' ')} (${all.length} run${all.length === 1 ? '' : 's'} in ${store.runsDir})\n`);
      else io.stdout.write(`no runs in ${store.runsDir}\n`);
      return 0;
    }
    io.stdout.write(
      `${table(
        ['run', 'status', 'benchmark', 'model', 'score', 'samples', 'errors', 'created'],
        summaries.map((s) => [
          s.id,
          runStatusLabel(s.status),
          s.benchmarkId,
          s.label ?? s.model,
          s.headline ? `${s.headline.label} ${headlineText(s.headline, s.counts)}` : '--',
          `${finishedCount(s.counts)}/${s.counts.total}`,
          String(errorCount(s.counts)),
          s.createdAt.replace('T', ' ').slice(0, 19),
        ]),
      )}\n`,
    );
    return 0;
  },
};
