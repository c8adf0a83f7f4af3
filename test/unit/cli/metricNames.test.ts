/**
 * One name and one denominator per metric, whoever shows it. `show` reads the metrics the benchmark stored
 * with the run; the Markdown and JSON exports re-estimate them with intervals. They disagreed: a custom run
 * with several samples per item was "Accuracy" in `show` but "pass@1" in the exports, and IFEval's
 * instruction-level accuracy was "n = 8" in `show` (instructions) but "n = 5 prompts" in Markdown (the
 * prompts the interval resamples). Now both name the stored metric and say what its n counts. In this
 * process, against a loopback model server.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cliInProcess } from '../../support/cliInProcess';
import { useFakeModelServers } from '../../support/useFakeModelServer';
import { useTempDir } from '../../support/tempDir';

const cli = (argv: string[], cwd: string) => cliInProcess(argv, cwd);

describe('CLI: show and the exports give each metric the same name and denominator', function () {
  this.timeout(180_000);
  const tmp = useTempDir();
  const servers = useFakeModelServers();

  it('a custom run with several samples per item is "Accuracy" over items in show, Markdown and JSON', async () => {
    let call = 0;
    // Item a: always right; item b: right on every other reply.
    const server = await servers.start({ reply: (r) => (r.body.messages.at(-1).content === 'A?' ? 'A' : call++ % 2 === 0 ? 'B' : 'no') });
    const dataset = path.join(tmp.path, 'set.jsonl');
    fs.writeFileSync(dataset, ['{"id":"a","prompt":"A?","expected":"A"}', '{"id":"b","prompt":"B?","expected":"B"}'].join('\n'));
    const ran = await cli(['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', `custom:${dataset}`, '--samples', '2', '--concurrency', '1'], tmp.path);
    assert.equal(ran.code, 0, ran.stderr);
    const id = /^run (\S+)/m.exec(ran.stdout)![1];

    const shown = await cli(['show', id], tmp.path);
    assert.match(shown.stdout, /^Accuracy\s+75\.0%\s+2 items$/m);

    const md = (await cli(['export', id, '--format', 'md'], tmp.path)).stdout;
    assert.match(md, /^\| Accuracy \| 75\.0% \|[^\n]*\| 2 items \|/m);
    assert.doesNotMatch(md, /pass@1/, 'the stored metric is accuracy; pass@1 was a second name for it');

    const section = JSON.parse((await cli(['export', id, '--format', 'json'], tmp.path)).stdout).benchmarks.custom;
    assert.equal(section.accuracy, 0.75);
    assert.equal(section['pass@1'], undefined);
    assert.equal(section.overall_score, 0.75);
    assert.equal(section.ci.accuracy.n, 2);
    assert.equal(section.ci.accuracy.unit, 'items');
  });

  it('IFEval instruction-level accuracy is over instructions in show, Markdown and JSON (prompts are what the interval resamples)', async () => {
    const server = await servers.start({ reply: () => 'yes' });
    const ran = await cli(['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', 'ifeval', '--limit', '3', '--cache-dir', path.join(tmp.path, 'cache')], tmp.path);
    assert.equal(ran.code, 0, ran.stderr);
    const id = /^run (\S+)/m.exec(ran.stdout)![1];

    const shown = (await cli(['show', id], tmp.path)).stdout;
    assert.match(shown, /^Prompt-level strict accuracy\s+\S+\s+3 prompts$/m);
    const instructions = Number(/^Instruction-level strict accuracy\s+\S+\s+(\d+) instructions$/m.exec(shown)?.[1]);
    assert.ok(instructions > 3, `the 3 prompts have more instructions than prompts: ${shown}`);

    const md = (await cli(['export', id, '--format', 'md'], tmp.path)).stdout;
    assert.match(md, new RegExp(`^\\| Instruction-level strict accuracy \\|[^\\n]*\\| ${instructions} instructions \\(3 prompts\\) \\|`, 'm'));
    assert.match(md, /^\| Prompt-level strict accuracy \|[^\n]*\| 3 prompts \|/m);

    const ci = JSON.parse((await cli(['export', id, '--format', 'json'], tmp.path)).stdout).benchmarks.ifeval.ci;
    assert.equal(ci.inst_strict.n, instructions);
    assert.equal(ci.inst_strict.unit, 'instructions');
    assert.deepEqual(ci.inst_strict.items, { n: 3, unit: 'prompts' });
    assert.equal(ci.prompt_strict.n, 3);
  });
});
