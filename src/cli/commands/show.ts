import * as path from 'node:path';
import { sampleFailureCause, sampleOutcome } from '../../core/outcome';
import { RunStore } from '../../core/storage/runStore';
import { UsageError, numberOption, parse, runRefFrom, runsDirFrom } from '../args';
import type { CliCommand } from '../command';
import { describeRun } from '../runReport';

const usage = `evalbench show RUN [--runs-dir DIR] [--failed N] [--json]

Show a stored run (a run id from 'evalbench list', or a .sqlite path): settings, metrics, failure causes and
the first samples that did not pass (wrong, request failed, scoring error) with why.
  --failed N   how many samples that did not pass to explain (default 10)
  --json       the run record and every sample as JSON`;

export const showCommand: CliCommand = {
  name: 'show',
  summary: 'show one stored run',
  usage,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { out: { type: 'string' }, 'runs-dir': { type: 'string' }, failed: { type: 'string' }, json: { type: 'boolean' } }, true);
    if (positionals.length !== 1) throw new UsageError('give one run id or run file: evalbench show RUN');
    const store = new RunStore(runsDirFrom(values['runs-dir'] ?? values.out, io.cwd));
    const reader = await store.openReader(runRefFrom(positionals[0], io.cwd));
    try {
      const run = reader.run();
      const samples = reader.samples();
      const counts = reader.summary().counts;
      // Each sample says its outcome (outcome.ts), so machines never re-derive it from status and score.
      const withOutcomes = samples.map((s) => ({ ...s, outcome: sampleOutcome(s), failureCause: sampleFailureCause(s) }));
      if (values.json) io.stdout.write(`${JSON.stringify({ run, file: reader.file, counts, items: reader.items(), samples: withOutcomes }, null, 2)}\n`);
      else {
        // A run outside the default folder is resumed with --out, as the run command's own hint says.
        const folder = path.dirname(reader.file);
        const resumeArgs = folder === runsDirFrom(undefined, io.cwd) ? run.id : `${run.id} --out ${shellWord(folder)}`;
        const failedItems = numberOption(values.failed, 'failed', { integer: true, min: 0 }) ?? 10;
        io.stdout.write(`${describeRun(run, samples, counts, { failedItems, resumeArgs })}\n\nfile ${reader.file}\n`);
      }
      return 0;
    } finally {
      reader.close();
    }
  },
};

/** A path as one shell word: quoted only when it has to be. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
