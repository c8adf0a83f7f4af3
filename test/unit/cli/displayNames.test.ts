/**
 * One display name per run status and per failure cause, in the CLI and the exports, from the one table in
 * src/core/outcome.ts (the panel and the runs tree use it too). `list` and `show` printed the raw status
 * "done_with_errors" where the exports say "Done with errors"; a plain wrong answer was the cause "wrong"
 * for IFEval but "wrong_answer" for custom (and GSM8K) runs. Stored values are unchanged. In this process,
 * against a loopback model server.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cliInProcess } from '../../support/cliInProcess';
import { useFakeModelServers } from '../../support/useFakeModelServer';
import { useTempDir } from '../../support/tempDir';

const cli = (argv: string[], cwd: string) => cliInProcess(argv, cwd);

describe('CLI: one display name per run status and failure cause', function () {
  this.timeout(180_000);
  const tmp = useTempDir();
  const servers = useFakeModelServers();

  it('list, show, compare and the exports say "Done with errors" and name a wrong answer "wrong" (wrong answer) for custom runs as for IFEval', async () => {
    // a: right; b: wrong; c: the server refuses (422, not retried).
    const server = await servers.start({
      reply: (r) => {
        const prompt = r.body.messages.at(-1).content;
        return prompt === 'C?' ? { type: 'status', status: 422, message: 'model refused' } : prompt === 'A?' ? 'A' : 'nope';
      },
    });
    const dataset = path.join(tmp.path, 'set.jsonl');
    fs.writeFileSync(dataset, ['{"id":"a","prompt":"A?","expected":"A"}', '{"id":"b","prompt":"B?","expected":"B"}', '{"id":"c","prompt":"C?","expected":"C"}'].join('\n'));
    const ran = await cli(['run', '--base-url', server.url, '--model', 'fake-model', '--benchmark', `custom:${dataset}`, '--retries', '0'], tmp.path);
    assert.match(ran.stdout, /^run \S+  \[Done with errors\]$/m);
    const id = /^run (\S+)/m.exec(ran.stdout)![1];

    const list = await cli(['list'], tmp.path);
    assert.match(list.stdout, new RegExp(`^${id}\\s+Done with errors\\s+custom`, 'm'));
    assert.doesNotMatch(list.stdout, /done_with_errors/);
    assert.equal(JSON.parse((await cli(['list', '--json'], tmp.path)).stdout)[0].status, 'done_with_errors', 'the stored value is unchanged');

    const shown = (await cli(['show', id], tmp.path)).stdout;
    assert.match(shown, /^run \S+  \[Done with errors\]$/m);
    assert.match(shown, /^wrong\s+wrong \(wrong answer\)\s+1$/m);
    assert.match(shown, /^request failed\s+http_error \(server error status\)\s+1$/m);
    assert.doesNotMatch(shown, /wrong_answer/);
    const shownJson = JSON.parse((await cli(['show', id, '--json'], tmp.path)).stdout);
    assert.equal(shownJson.samples.find((s: { itemId: string }) => s.itemId === 'b').failureCause, 'wrong');

    const compared = (await cli(['compare', id, id], tmp.path)).stdout;
    assert.match(compared, new RegExp(`\\(run ${id}, Done with errors\\)`));

    const md = (await cli(['export', id, '--format', 'md'], tmp.path)).stdout;
    assert.match(md, /\| Status \| Done with errors \|/);
    assert.match(md, /\| Wrong \| wrong \(wrong answer\) \| 1 \|/);
    assert.doesNotMatch(md, /wrong_answer/);

    const csv = (await cli(['export', id, '--format', 'csv'], tmp.path)).stdout;
    assert.doesNotMatch(csv, /wrong_answer/);
    assert.match(csv, /^"?b"?,.*,wrong,/m);
  });
});
