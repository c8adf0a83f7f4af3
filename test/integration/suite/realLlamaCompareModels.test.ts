/**
 * Compare Models in a real VS Code with the real llama-server (the one the real-server suite builds,
 * cached by then): the F32 and Q4_0 tiny models served in turn by servers the extension starts and
 * stops, ending with the comparison panel open and no llama-server left. Skipped where the server
 * cannot be built, except under CI or EVALBENCH_REQUIRE_SHARED=1.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ServerProfile } from '../../../src/core/servers/types';
import { removeModelsCopy, requireLlama } from '../../realserver/support/llamaSetup';
import { processesMentioning } from '../../realserver/support/llamaServer';
import { waitFor } from '../../support/waitFor';

// The suite runs bundled from out/test/integration/suite; the scripts are in the source tree.
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

describe('Compare Models with the real llama-server', function () {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-real-compare-'));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    removeModelsCopy();
  });

  it('serves tiny-f32 and tiny-q4_0 in turn, opens the comparison, and leaves no llama-server running', async function () {
    const llama = await requireLlama(this, REPO_ROOT);
    this.timeout(600_000);
    const dataset = path.join(dir, 'set.jsonl');
    const prompts = ['Write one sentence about the sea.', 'List three colours.'];
    fs.writeFileSync(dataset, prompts.map((prompt, i) => JSON.stringify({ id: `p${i}`, prompt, expected: '-' })).join('\n'));
    const profiles: ServerProfile[] = [llama.models.f32, llama.models.q4_0].map((modelFile) => ({ kind: 'llama.cpp', binary: llama.server, modelFile, ctxSize: 512, parallel: 2 }));

    const runIds = (await vscode.commands.executeCommand('evalbench.compareModels', { profiles, benchmarks: ['custom'], datasetPath: dataset })) as string[] | undefined;
    assert.ok(runIds && runIds.length === 2, `two runs: ${JSON.stringify(runIds)}`);

    const tab = await waitFor('the comparison panel', () => {
      const active = vscode.window.tabGroups.activeTabGroup.activeTab;
      return active?.input instanceof vscode.TabInputWebview && active.input.viewType.endsWith('evalbench.comparePanel') ? active : undefined;
    }, 60_000);
    assert.ok(tab);
    await waitFor('no llama-server left', () => processesMentioning(llama.modelsDir).filter((p) => p.cmdline.includes(llama.server)).length === 0 || undefined, 30_000);
  });
});
