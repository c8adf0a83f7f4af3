import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { createCompareCommand } from '../../../src/cli/commands/compare';
import { createExportCommand } from '../../../src/cli/commands/export';
import type { CliIo } from '../../../src/cli/command';
import { UsageError } from '../../../src/cli/args';
import type { RunData } from '../../../src/core/compare/runData';
import { RunStoreError } from '../../../src/core/errors';
import { useTempDir } from '../../support/tempDir';
import { binaryRun } from '../../support/runFixtures';

function io(cwd: string): CliIo & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  return { stdout, stderr, env: {}, cwd, signal: new AbortController().signal, out: () => out, err: () => err };
}

/** In-memory runs behind the loader seam; records which runs folder the command asked for. */
function memoryLoader(runs: Record<string, RunData>, seen: string[] = []) {
  return (runsDir: string) => {
    seen.push(runsDir);
    return async (ref: string) => {
      const run = runs[ref];
      if (!run) throw new RunStoreError(`no run '${ref}' in ${runsDir}`);
      return run;
    };
  };
}

// A: 400/541 pass. B: 30 of A's passes fail, 13 of A's failures pass (383 pass, 158 fail) → 3.1 points worse, p ≈ 0.01.
const outcomesA = Array.from({ length: 541 }, (_, i) => i < 400);
const outcomesB = outcomesA.map((p, i) => (p ? i >= 30 : i < 413));

describe('CLI compare and export', () => {
  const tmp = useTempDir();
  const runs = () => ({ a: binaryRun('a', outcomesA), b: binaryRun('b', outcomesB) });

  it('compare prints the table, the sentences and the flips; exit 0 without a gate', async () => {
    const seen: string[] = [];
    const command = createCompareCommand(memoryLoader(runs(), seen));
    const out = io(tmp.path);
    const code = await command.run(['a', 'b', '--resamples', '1000', '--runs-dir', 'runs'], out);
    assert.equal(code, 0);
    assert.deepEqual(seen, [path.join(tmp.path, 'runs')]);
    assert.match(out.out(), /Accuracy\s+73\.9%\s+70\.8%\s+−3\.1/);
    assert.match(out.out(), /\* B is 3\.1 points worse than A on accuracy .*exact McNemar, 541 paired items\): unlikely to be chance\./);
    assert.match(out.out(), /30 passed in A, wrong in B \(first 10\):\n  q0: answer: expected "4", got "5"/);
  });

  it('--fail-if-worse exits 1 when B is significantly worse by more than POINTS, else 0', async () => {
    const command = createCompareCommand(memoryLoader(runs()));
    const strict = io(tmp.path);
    assert.equal(await command.run(['a', 'b', '--fail-if-worse', '2', '--resamples', '500'], strict), 1);
    assert.match(strict.err(), /B is significantly worse than A on Accuracy by more than 2 points/);
    assert.equal(await command.run(['a', 'b', '--fail-if-worse', '5', '--resamples', '500'], io(tmp.path)), 0);
    assert.equal(await command.run(['b', 'a', '--fail-if-worse', '0', '--resamples', '500'], io(tmp.path)), 0); // B better
  });

  it('--json gives the comparison object', async () => {
    const out = io(tmp.path);
    await createCompareCommand(memoryLoader(runs())).run(['a', 'b', '--json', '--seed', '3', '--resamples', '500'], out);
    const parsed = JSON.parse(out.out());
    assert.equal(parsed.headline.test, 'exact McNemar');
    assert.deepEqual(parsed.settings, { confidence: 0.95, resamples: 500, seed: 3 });
    assert.equal(parsed.flips.passToFail.length, 30);
  });

  it("--drift adds how far B's replies moved from A's, in text and in JSON (without the per-item list)", async () => {
    const data = runs();
    data.b.samples = data.b.samples.map((sample, i) => (i < 3 ? { ...sample, response: `${sample.response}!` } : sample));
    const text = io(tmp.path);
    await createCompareCommand(memoryLoader(data)).run(['a', 'b', '--drift', '--resamples', '200'], text);
    assert.match(text.out(), /identical replies\s+538 of 541 \(99\.4%\)/);
    assert.match(text.out(), /earliest divergence \(3 of 3\)/);
    const json = io(tmp.path);
    await createCompareCommand(memoryLoader(data)).run(['a', 'b', '--drift', '--json', '--resamples', '200'], json);
    const parsed = JSON.parse(json.out());
    assert.equal(parsed.drift.identical, 538);
    assert.equal(parsed.drift.items, undefined);
    const plain = io(tmp.path);
    await createCompareCommand(memoryLoader(data)).run(['a', 'b', '--resamples', '200'], plain);
    assert.doesNotMatch(plain.out(), /identical replies/, 'drift only when asked');
  });

  it('usage errors are UsageError (exit 2 in main)', async () => {
    const command = createCompareCommand(memoryLoader(runs()));
    await assert.rejects(command.run(['a'], io(tmp.path)), UsageError);
    await assert.rejects(command.run(['a', 'b', '--fail-if-worse', 'x'], io(tmp.path)), /--fail-if-worse must be a number/);
    await assert.rejects(command.run(['a', 'b', '--resamples', '5'], io(tmp.path)), UsageError);
    await assert.rejects(command.run(['a', 'nope'], io(tmp.path)), RunStoreError);
  });

  it('export writes each format to stdout or --out FILE', async () => {
    const command = createExportCommand(memoryLoader(runs()));
    const json = io(tmp.path);
    assert.equal(await command.run(['a', '--format', 'json'], json), 0);
    assert.equal(JSON.parse(json.out()).benchmarks.custom.questions, 541);
    const junit = io(tmp.path);
    assert.equal(await command.run(['b', '--format', 'junit', '--out', 'b.xml'], junit), 0);
    assert.equal(junit.out(), '');
    const xml = fs.readFileSync(path.join(tmp.path, 'b.xml'), 'utf8');
    assert.match(xml, /tests="541" failures="158" errors="0"/);
    await assert.rejects(command.run(['a', '--format', 'xml'], io(tmp.path)), /unknown --format 'xml': use one of json, csv, md, junit/);
    await assert.rejects(command.run(['a'], io(tmp.path)), /--format is required/);
  });
});
