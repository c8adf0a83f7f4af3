/**
 * `run --resume RUN` and `--rerun-failed RUN` continue a run with the settings stored in it. A flag that would
 * change those settings (`--concurrency 8`, `--model`, `--temperature`…) used to be accepted and silently
 * ignored; it is refused, naming the flag, before anything is asked. Flags about this process (timeouts,
 * retries, the key, output, gates) still apply.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunStore } from '../../../src/core/storage/runStore';
import { startFakeModelServer, type FakeModelServer } from '../../support/fakeModelServer';
import { cliInProcess } from '../../support/cliInProcess';
import { useTempDir } from '../../support/tempDir';

const cli = (argv: string[], cwd: string) => cliInProcess(argv, cwd);

describe('CLI: --resume and --rerun-failed refuse flags that would change the stored run', function () {
  this.timeout(180_000);
  const tmp = useTempDir();
  let server: FakeModelServer;
  let failFirst = 0;

  before(async () => {
    server = await startFakeModelServer({
      reply: (r) => (failFirst-- > 0 ? { type: 'status', status: 500, message: 'boom' } : String(r.body?.messages?.at(-1)?.content ?? '')),
    });
  });
  after(async () => {
    await server.close();
  });

  it('refuses --concurrency, --model, --temperature, --limit and both modes at once; accepts --retries and --allow-errors', async () => {
    const dataset = path.join(tmp.path, 'set.jsonl');
    fs.writeFileSync(dataset, ['{"id":"a","prompt":"A","expected":"A"}', '{"id":"b","prompt":"B","expected":"B"}'].join('\n'));
    failFirst = 1;
    const first = await cli(['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', `custom:${dataset}`, '--retries', '0', '--concurrency', '1', '--json'], tmp.path);
    assert.equal(first.code, 1, first.stderr);
    const id = JSON.parse(first.stdout).id as string;
    const asked = server.generationRequests().length;

    for (const [flags, named] of [
      [['--concurrency', '8'], /--concurrency/],
      [['--model', 'other'], /--model/],
      [['--temperature', '0.7', '--limit', '1'], /--temperature, --limit|--limit, --temperature/],
      [['--benchmark', 'ifeval'], /--benchmark/],
    ] as [string[], RegExp][]) {
      for (const mode of ['--resume', '--rerun-failed']) {
        const result = await cli(['run', mode, id, ...flags], tmp.path);
        assert.equal(result.code, 2, `${mode} ${flags.join(' ')}: exit ${result.code}\n${result.stderr}`);
        assert.match(result.stderr, named);
        assert.match(result.stderr, new RegExp(`${mode} continues the run with its stored settings`));
      }
    }
    const both = await cli(['run', '--resume', id, '--rerun-failed', id], tmp.path);
    assert.equal(both.code, 2, both.stderr);
    assert.match(both.stderr, /--resume or --rerun-failed, not both/);
    assert.equal(server.generationRequests().length, asked, 'nothing was asked for a refused command');

    const rerun = await cli(['run', '--rerun-failed', id, '--retries', '0', '--request-timeout', '30', '--allow-errors'], tmp.path);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.equal(server.generationRequests().length, asked + 1, 'the failed item was asked again');
  });

  it('show of an interrupted run outside the default folder prints a resume command that finds it', async () => {
    const dataset = path.join(tmp.path, 'set.jsonl');
    fs.writeFileSync(dataset, '{"id":"a","prompt":"A","expected":"A"}\n');
    const out = path.join(tmp.path, 'elsewhere');
    const first = await cli(['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', `custom:${dataset}`, '--out', out, '--json'], tmp.path);
    assert.equal(first.code, 0, first.stderr);
    const id = JSON.parse(first.stdout).id as string;
    // A run whose writer went away while it said "running" reads as interrupted (as after kill -9).
    const writer = await new RunStore(out).openWriter(id);
    writer.updateRun({ status: 'running' });
    await writer.close();

    const shown = await cli(['show', id, '--runs-dir', out], tmp.path);
    assert.equal(shown.code, 0, shown.stderr);
    const hint = /evalbench run (--resume \S+(?: --out \S+)?) asks the rest/.exec(shown.stdout);
    assert.ok(hint, shown.stdout);
    const resumed = await cli(['run', ...hint[1].split(' ')], tmp.path);
    assert.equal(resumed.code, 0, `the printed command resumes the run: ${resumed.stderr}`);
    assert.match(resumed.stdout, new RegExp(`run ${id}  \\[Done\\]`));

    // A cancelled run (Ctrl-C) is resumable too, and show says how.
    const again = await new RunStore(out).openWriter(id);
    again.updateRun({ status: 'cancelled' });
    await again.close();
    const cancelled = await cli(['show', id, '--runs-dir', out], tmp.path);
    assert.match(cancelled.stdout, new RegExp(`cancelled before the end: finished samples are kept; evalbench run --resume ${id} --out \\S+ asks the rest`));
  });
});
