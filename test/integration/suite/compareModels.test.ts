/**
 * Compare Models in a real VS Code: two fake GGUF model files, each served in turn by the fake llama-server
 * (a real process started by the extension), end with the comparison panel open and no server left running.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { liveFakeServers, startedFakeServers } from '../../support/fakeLlamaServer';
import { tinyLlamaSpec, writeGguf } from '../../support/ggufWriter';
import { waitFor } from '../../support/waitFor';

// The suite runs from out/test/integration/suite; the fake server is a plain Node script in the source tree.
const FAKE_LLAMA_SERVER = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'support', 'fake-llama-server.js');

describe('Compare Models', function () {
  this.timeout(180_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-compare-models-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('Compare Models on two fake model files ends with the comparison panel open and no server process left', async () => {
    const pids = path.join(dir, 'pids');
    fs.mkdirSync(pids);
    const full = path.join(dir, 'tiny-F16.gguf');
    const quant = path.join(dir, 'tiny-Q4_K_M.gguf');
    writeGguf(full, tinyLlamaSpec({ fileType: 1, tensorType: 1, chatTemplate: 't', sizeBytes: 14_500_000_000 }));
    writeGguf(quant, tinyLlamaSpec({ fileType: 15, tensorType: 12, chatTemplate: 't', sizeBytes: 4_100_000_000 }));
    const dataset = path.join(dir, 'set.jsonl');
    fs.writeFileSync(dataset, Array.from({ length: 12 }, (_, i) => JSON.stringify({ id: `q${i}`, prompt: `item ${i}`, expected: `item ${i}` })).join('\n'));

    const runIds = (await vscode.commands.executeCommand('evalbench.compareModels', {
      modelFiles: [full, quant],
      serverPath: FAKE_LLAMA_SERVER,
      benchmarks: ['custom'],
      datasetPath: dataset,
      env: { FAKE_LLAMA_PID_DIR: pids, FAKE_LLAMA_LOADING_MS: '300' },
    })) as string[] | undefined;
    assert.ok(runIds && runIds.length === 2, `two runs: ${JSON.stringify(runIds)}`);

    const tab = await waitFor('the comparison panel', () => {
      const active = vscode.window.tabGroups.activeTabGroup.activeTab;
      return active?.input instanceof vscode.TabInputWebview && active.input.viewType.endsWith('evalbench.comparePanel') ? active : undefined;
    });
    assert.ok(tab);
    assert.equal(startedFakeServers(pids).length, 2, 'one server per model file, in turn');
    assert.deepEqual(liveFakeServers(pids), [], 'no server process left');
  });
});
