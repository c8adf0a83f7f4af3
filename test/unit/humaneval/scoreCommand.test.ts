/**
 * `evalbench score --benchmark humaneval`: raw completions are scored verbatim, as the official harness
 * does (a fenced completion is a syntax error there), chat replies (`response`) and `--extract` get code
 * extraction.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../support/cliProcess';
import { requireSharedData } from '../../support/sharedData';
import { useTempDir } from '../../support/tempDir';

describe('evalbench score --benchmark humaneval', function () {
  this.timeout(300_000);
  const tmp = useTempDir('evalbench-he-score-');

  const rows = [
    { task_id: 'HumanEval/53', completion: '    return x + y\n' },
    { task_id: 'HumanEval/53', completion: '```python\n    return x + y\n```' },
    { task_id: 'HumanEval/53', response: 'Here it is:\n```python\ndef add(x: int, y: int):\n    return x + y\n```\nDone.' },
    { task_id: 'HumanEval/53', response: '```python\ndef add(x: int, y: int):\n    return x - y\n```' },
  ];

  async function score(ctx: Mocha.Context, extra: string[]) {
    const dataset = requireSharedData(ctx, 'humaneval/HumanEval.jsonl.gz');
    const file = path.join(tmp.path, 'rows.jsonl');
    fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const r = await runCli(['score', '--benchmark', 'humaneval', '--dataset', dataset, '--responses', file, '--executor', 'native', '--json', ...extra], { cwd: tmp.path });
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trim().split('\n').slice(0, rows.length).map((l) => JSON.parse(l) as { passed: boolean; result: string });
  }

  it('scores "completion" rows as given, so a fenced completion fails as officially; extracts "response" rows', async function () {
    const out = await score(this, []);
    assert.deepEqual(out.map((o) => o.passed), [true, false, true, false]);
    // The official harness appends the text after the prompt: the fence line is invalid Python.
    assert.match(out[1].result, /^failed: invalid syntax/);
    assert.match(out[3].result, /^failed: /);
  });

  it('extracts code from completions too with --extract', async function () {
    const out = await score(this, ['--extract']);
    assert.deepEqual(out.map((o) => o.passed), [true, true, true, false]);
  });
});
