/**
 * Offline from the first launch: with no dataset settings and VS Code's proxy pointing at a loopback
 * port where nothing listens, IFEval, HumanEval and a custom benchmark run to the end on the data
 * bundled with the extension, and each run records the bundled copy and its sha256. Any download
 * would have to go through that proxy and fail, failing the run. The Update Bundled Datasets command
 * is the only thing that fetches, and it goes through that same proxy.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startFakeModelServer, type FakeModelServer } from '../../support/fakeModelServer';
import type { EvalBenchApi } from '../../../src/extension/extension';
import type { RunSummary } from '../../../src/core/storage/types';
import type { DataUpdateResult } from '../../../src/core/data/dataUpdate';

async function api(): Promise<EvalBenchApi> {
  const extension = vscode.extensions.all.find((e) => e.packageJSON?.name === 'evalbench');
  assert.ok(extension, 'the EvalBench extension is loaded');
  return (extension.isActive ? extension.exports : await extension.activate()) as EvalBenchApi;
}

/** A loopback port with nothing listening: bind, note the port, close. */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForSummary(runsDir: string, runId: string, timeoutMs = 120_000): Promise<RunSummary> {
  const file = path.join(runsDir, `${runId}.summary.json`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const summary = JSON.parse(fs.readFileSync(file, 'utf8')) as RunSummary;
      if (summary.status !== 'running' && summary.status !== 'queued') return summary;
    } catch {
      // not written yet, or written while we read
    }
    if (Date.now() > deadline) throw new Error(`run ${runId} did not finish within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The run's stored config (what `evalbench show` prints), read through the JSON export. */
async function exportedConfig(runId: string, dir: string): Promise<Record<string, any>> {
  const target = vscode.Uri.file(path.join(dir, `${runId}.json`));
  await vscode.commands.executeCommand('evalbench.exportRun', runId, target, 'json');
  return JSON.parse(fs.readFileSync(target.fsPath, 'utf8'));
}

describe('Offline from the first launch', function () {
  this.timeout(240_000);
  let server: FakeModelServer;
  let tmp: string;
  let proxy: string;
  const http = () => vscode.workspace.getConfiguration('http');
  const evalbench = () => vscode.workspace.getConfiguration('evalbench');

  before(async () => {
    server = await startFakeModelServer({ kind: 'llama.cpp', models: ['offline-model', 'second-model'] });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-offline-'));
    proxy = `http://127.0.0.1:${await deadPort()}`;
    await http().update('proxy', proxy, vscode.ConfigurationTarget.Global);
    // Only the model server (loopback) is reached directly; everything else would go to the dead proxy.
    await http().update('noProxy', ['127.0.0.1'], vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await http().update('proxy', undefined, vscode.ConfigurationTarget.Global);
    await http().update('noProxy', undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('has no dataset settings', () => {
    for (const key of ['datasetFiles', 'punktFolder']) {
      const inspected = evalbench().inspect(key);
      assert.equal(inspected?.globalValue, undefined, `evalbench.${key} has no user value`);
      assert.equal(inspected?.workspaceValue, undefined, `evalbench.${key} has no workspace value`);
    }
  });

  for (const benchmark of ['ifeval', 'humaneval', 'custom'] as const) {
    it(`runs ${benchmark} on the bundled data with the proxy unreachable`, async () => {
      const { runsDir } = await api();
      let datasetPath: string | undefined;
      if (benchmark === 'custom') {
        datasetPath = path.join(tmp, 'mine.jsonl');
        fs.writeFileSync(datasetPath, '{"id": "a", "prompt": "Say yes", "expected": "yes"}\n{"id": "b", "prompt": "Say no", "expected": "no"}\n');
      }
      server.setBehavior({
        reply: () => (benchmark === 'humaneval' ? '```python\ndef placeholder():\n    return None\n```' : 'yes'),
      });
      const ids = (await vscode.commands.executeCommand('evalbench.runEval', {
        baseUrl: server.url,
        models: ['offline-model'],
        benchmarks: [benchmark],
        datasetPath,
        limit: 3,
        confirmed: true,
      })) as string[];
      assert.equal(ids.length, 1);
      const summary = await waitForSummary(runsDir(), ids[0]);
      assert.equal(summary.status, 'done', `the ${benchmark} run finished`);
      assert.equal(summary.counts.request_failed, 0, 'no request failed');
      assert.equal(summary.counts.total, benchmark === 'custom' ? 2 : 3);
      const report = await exportedConfig(ids[0], tmp);
      const dataset = report.benchmarks[benchmark].dataset;
      if (benchmark === 'custom') {
        assert.equal(dataset.origin, datasetPath);
      } else {
        assert.match(dataset.origin, /^bundled copy .*dist[\\/]data[\\/]/, 'the run says it used the bundled copy');
        assert.equal(dataset.sha256, benchmark === 'ifeval' ? '67ffeee0fcb87c317c5b08a2de85557b4a7e96ada6178aa645b4954fe4b53d49' : 'b796127e635a67f93fb35c04f4cb03cf06f38c8072ee7cee8833d7bee06979ef');
      }
      if (benchmark === 'ifeval') {
        const [punkt] = report.benchmarks.ifeval.data_files;
        assert.equal(punkt.copy, 'bundled');
        assert.equal(punkt.sha256, '0c03c1586dbd24c59129c8f15190db58b44b66559fe15a6a47dbb6273b216ffa');
      }
    });
  }

  it('opens one matrix panel for a model matrix, and the tree groups its runs', async () => {
    const { runsDir, runsTree } = await api();
    const datasetPath = path.join(tmp, 'mine.jsonl');
    server.setBehavior({ reply: () => 'yes' });
    const ids = (await vscode.commands.executeCommand('evalbench.runEval', {
      baseUrl: server.url,
      models: ['offline-model', 'second-model'],
      benchmarks: ['custom'],
      datasetPath,
      openPanels: true,
    })) as string[];
    assert.equal(ids.length, 2);
    await Promise.all(ids.map((id) => waitForSummary(runsDir(), id)));
    // The panel is made at once, but the extension host hears of its tab only when the window has drawn it: two
    // runs of 0 ms can be done before that (seen twice with no tab at all). Waited for, generously, not timed.
    const isMatrix = (tab: vscode.Tab | undefined) => tab?.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('evalbench.matrixPanel');
    for (let waited = 0; !isMatrix(vscode.window.tabGroups.activeTabGroup.activeTab) && waited < 30_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => `${t.label}${t.input instanceof vscode.TabInputWebview ? ` [${t.input.viewType}]` : ''}${t.isActive ? ' (active)' : ''}`));
    assert.ok(isMatrix(vscode.window.tabGroups.activeTabGroup.activeTab), `the matrix panel is open and active; tabs: ${tabs.join(', ') || 'none'}`);
    const runPanels = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('evalbench.runPanel'));
    assert.equal(runPanels.length, 0, 'no single-run panel instead of the matrix');
    runsTree.refresh();
    const custom = (await runsTree.getChildren()).find((b) => b.toTreeItem().id === 'benchmark:custom')!;
    const matrix = (await runsTree.getChildren(custom)).find((m) => String(m.toTreeItem().id).startsWith('matrix:custom:'));
    assert.ok(matrix, 'a matrix node under the benchmark');
    assert.deepEqual((await runsTree.getChildren(matrix)).map((r) => String(r.toTreeItem().id)).sort(), ids.map((id) => `run:${id}`).sort());
  });

  it('reveals a run file in the Explorer where VS Code has no revealFileInOS (browser VS Code)', async () => {
    const { runsDir } = await api();
    const runId = fs.readdirSync(runsDir()).find((f) => f.endsWith('.sqlite'))!.replace(/\.sqlite$/, '');
    const how = await vscode.commands.executeCommand('evalbench.revealRunFile', runId);
    const hasOsReveal = (await vscode.commands.getCommands(true)).includes('revealFileInOS');
    assert.equal(how, hasOsReveal ? 'os' : 'explorer');
  });

  it('fetches newer data only when asked, and then through VS Code\'s proxy', async () => {
    const results = (await vscode.commands.executeCommand('evalbench.updateData', {
      confirmed: true,
      ids: ['ifeval', 'punkt'],
      urls: { ifeval: 'http://data.invalid/input_data.jsonl', punkt: 'https://data.invalid/punkt_tab.zip' },
    })) as DataUpdateResult[];
    assert.equal(results.length, 2);
    for (const r of results) {
      assert.equal(r.status, 'failed');
      assert.ok(r.error!.includes(`through proxy ${proxy}`), `${r.id}: ${r.error}`);
      assert.match(r.error!, /connection refused/);
    }
    const copies = (await vscode.commands.executeCommand('evalbench.showDataStatus')) as { copy: string }[];
    assert.ok(copies.length >= 5 && copies.every((c) => c.copy === 'bundled'), 'every run still uses the bundled data');
  });
});
