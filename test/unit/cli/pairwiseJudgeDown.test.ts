/**
 * `pairwise` with a judge that never gives a usable answer: no item gets a verdict. The command used to say
 * "no consistent verdict: the judge gave no preference that survived the order swap" (the judge never
 * answered), count the items as "judged", and exit 0. It now says the judge failed on every item, counts items,
 * and exits 1 (the work failed), as `run` does when no item got a reply.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startFakeModelServer, type FakeModelServer } from '../../support/fakeModelServer';
import { cliInProcess } from '../../support/cliInProcess';
import { useTempDir } from '../../support/tempDir';

const cli = (argv: string[], cwd: string) => cliInProcess(argv, cwd, { EVALBENCH_JUDGE_API_KEY: '' });

describe('CLI: pairwise with a judge that never answers usably', function () {
  this.timeout(180_000);
  const tmp = useTempDir();
  let model: FakeModelServer;
  let judge: FakeModelServer;

  before(async () => {
    model = await startFakeModelServer({ reply: (r) => String(r.body?.messages?.at(-1)?.content ?? '') });
    judge = await startFakeModelServer({ models: ['judge'], reply: () => ({ type: 'malformed' }) });
  });
  after(async () => {
    await model.close();
    await judge.close();
  });

  it('says the judge failed on every item, counts items (not "judged"), and exits 1', async () => {
    const dataset = path.join(tmp.path, 'set.jsonl');
    fs.writeFileSync(dataset, ['{"id":"a","prompt":"A","expected":"A"}', '{"id":"b","prompt":"B","expected":"B"}'].join('\n'));
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const ran = await cli(['run', '--base-url', model.url, '--model', 'fake-model', '--benchmark', `custom:${dataset}`, '--json'], tmp.path);
      assert.equal(ran.code, 0, ran.stderr);
      ids.push(JSON.parse(ran.stdout).id);
    }
    const cache = path.join(tmp.path, 'cache');
    const result = await cli(['pairwise', ids[0], ids[1], '--judge-base-url', judge.url, '--judge-model', 'judge', '--retries', '0', '--cache-dir', cache], tmp.path);
    assert.equal(result.code, 1, `no item got a verdict: the work failed\n${result.stdout}${result.stderr}`);
    assert.match(result.stdout, /2 without a verdict, of 2 items/);
    assert.doesNotMatch(result.stdout, /of 2 judged/);
    assert.doesNotMatch(result.stdout, /gave no preference/);
    assert.match(result.stdout, /no verdict: the judge failed on every item/);
  });
});
