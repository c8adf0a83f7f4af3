/**
 * The VS Code surface in a real VS Code: commands are registered, a small custom-JSONL eval against a
 * loopback fake model server writes a run file, the runs tree lists it, panels open, Compare opens the
 * native diff editor over both runs' responses, Delete removes the files.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startFakeModelServer, type FakeModelServer, type RecordedRequest } from '../../support/fakeModelServer';
import type { EvalBenchApi } from '../../../src/extension/extension';
import type { RunSummary } from '../../../src/core/storage/types';
import { reportFigure } from './figures';
import { waitFor } from '../../support/waitFor';

const COMMANDS = [
  'evalbench.runEval',
  'evalbench.openRun',
  'evalbench.compareRuns',
  'evalbench.resumeRun',
  'evalbench.rerunFailed',
  'evalbench.reaskWrong',
  'evalbench.updateData',
  'evalbench.exportRun',
  'evalbench.exportReport',
  'evalbench.revealRunFile',
  'evalbench.deleteRun',
  'evalbench.refreshRuns',
  'evalbench.showLog',
  'evalbench.compareMany',
  'evalbench.setBaseline',
  'evalbench.clearBaseline',
  'evalbench.filterRuns',
  'evalbench.clearRunsFilter',
  'evalbench.showLeaderboard',
];

const DATASET = [
  { id: 'q1', prompt: 'What is 2+2?', expected: '4' },
  { id: 'q2', prompt: 'Capital of France?', expected: 'Paris' },
  { id: 'q3', prompt: 'Opposite of hot?', expected: 'cold' },
  { id: 'q4', prompt: 'Colour of the sky?', expected: 'blue' },
];

/** Answers from a table keyed by prompt, so each test decides which items pass. */
function replyFrom(answers: Record<string, string>) {
  return (request: RecordedRequest): string => {
    const messages = request.body?.messages ?? [];
    const text: string = messages[messages.length - 1]?.content ?? request.body?.prompt ?? '';
    return answers[text] ?? 'I do not know';
  };
}

async function api(): Promise<EvalBenchApi> {
  const extension = vscode.extensions.all.find((e) => e.packageJSON?.name === 'evalbench');
  assert.ok(extension, 'the EvalBench extension is loaded');
  return (extension.isActive ? extension.exports : await extension.activate()) as EvalBenchApi;
}

/** The run's summary once it has ended (and, with `after`, was updated after that time). */
/** Command → final status on disk, for the first and the second Run Eval of this window (printed below). */
const runEvalMs: number[] = [];

async function waitForSummary(runsDir: string, runId: string, timeoutMs = 45_000, after?: string): Promise<RunSummary> {
  const file = path.join(runsDir, `${runId}.summary.json`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (fs.existsSync(file)) {
      try {
        const summary = JSON.parse(fs.readFileSync(file, 'utf8')) as RunSummary;
        if (summary.status !== 'running' && summary.status !== 'queued' && (!after || summary.updatedAt > after)) return summary;
      } catch {
        // written while we read: try again
      }
    }
    if (Date.now() > deadline) throw new Error(`run ${runId} did not finish within ${timeoutMs / 1000} s (${file})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The runs tree's node of a run (after a refresh), found through the provider as the view does. */
async function runNode(runId: string) {
  const { runsTree } = await api();
  return waitFor(`run ${runId} in the tree`, async () => {
    for (const benchmark of await runsTree.getChildren()) {
      for (const model of await runsTree.getChildren(benchmark)) {
        const found = (await runsTree.getChildren(model)).find((r) => r.toTreeItem().id === `run:${runId}`);
        if (found) return found;
      }
    }
    return undefined;
  });
}

function activeWebview(viewTypeSuffix: string) {
  const active = vscode.window.tabGroups.activeTabGroup.activeTab;
  return active?.input instanceof vscode.TabInputWebview && active.input.viewType.endsWith(viewTypeSuffix) ? active : undefined;
}

describe('EvalBench in VS Code', function () {
  // A test waits for a run (up to 45 s) and then for panels and tree nodes (30 s each): those budgets say what
  // timed out on a slow box; the suite's 60 s default would cut them short with a bare mocha timeout instead.
  this.timeout(240_000);
  let server: FakeModelServer;
  let tmp: string;
  let dataset: string;
  const started: string[] = [];

  before(async () => {
    server = await startFakeModelServer({ kind: 'llama.cpp', models: ['fake-model'] });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evalbench-it-'));
    dataset = path.join(tmp, 'tiny.jsonl');
    fs.writeFileSync(dataset, DATASET.map((row) => JSON.stringify(row)).join('\n') + '\n');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await server?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('registers every command', async () => {
    await api();
    const all = new Set(await vscode.commands.getCommands(true));
    for (const id of COMMANDS) assert.ok(all.has(id), `command ${id} is registered`);
  });

  it('runs a custom JSONL eval against a loopback server and writes a run file', async () => {
    const { runsDir } = await api();
    server.setBehavior({ reply: replyFrom({ 'What is 2+2?': '4', 'Capital of France?': 'Paris', 'Opposite of hot?': 'warm' }) });
    const commandAt = Date.now();
    const ids = (await vscode.commands.executeCommand('evalbench.runEval', {
      baseUrl: server.url,
      models: ['fake-model'],
      benchmarks: ['custom'],
      datasetPath: dataset,
    })) as string[];
    assert.equal(ids.length, 1);
    started.push(ids[0]);
    const summary = await waitForSummary(runsDir(), ids[0]);
    assert.equal(summary.status, 'done');
    assert.equal(summary.counts.total, 4);
    assert.equal(summary.model, 'fake-model');
    assert.ok(fs.existsSync(path.join(runsDir(), `${ids[0]}.sqlite`)), 'the run file exists');
    assert.equal(summary.headline?.value, 0.5, 'q1 and q2 right, q3 and q4 wrong');
    assert.equal(server.generationRequests().length, 4);
    runEvalMs.push(Date.parse(summary.updatedAt) - commandAt);
  });

  it('lists the run in the runs tree, grouped by benchmark then model', async () => {
    const { runsTree } = await api();
    runsTree.refresh();
    const node = await waitFor('the run in the tree', async () => {
      const benchmarks = await runsTree.getChildren();
      const custom = benchmarks.find((b) => 'group' in b && (b.group as { benchmarkId?: string }).benchmarkId === 'custom');
      if (!custom) return undefined;
      const models = await runsTree.getChildren(custom);
      const model = models.find((m) => m.toTreeItem().label === 'fake-model');
      if (!model) return undefined;
      const runs = await runsTree.getChildren(model);
      return runs.find((r) => r.toTreeItem().id === `run:${started[0]}`);
    });
    const item = node.toTreeItem();
    assert.equal(item.description, '50.0% · done');
    assert.match(String(item.tooltip), new RegExp(started[0]));
    assert.equal(item.contextValue, 'evalbench.run.done');
    assert.equal(runsTree.getParent(node)?.toTreeItem().label, 'fake-model');
  });

  it('opens the run panel as a webview tab', async () => {
    await vscode.commands.executeCommand('evalbench.openRun', started[0]);
    const tab = await waitFor('the run panel tab', () => {
      const active = vscode.window.tabGroups.activeTabGroup.activeTab;
      return active?.input instanceof vscode.TabInputWebview && active.input.viewType.endsWith('evalbench.runPanel') ? active : undefined;
    });
    assert.match(tab.label, /fake-model · custom|Run /);
  });

  it('compares two runs: the diff editor shows both responses', async () => {
    const { runsDir } = await api();
    server.setBehavior({ reply: replyFrom({ 'What is 2+2?': '4', 'Opposite of hot?': 'cold', 'Colour of the sky?': 'blue' }) });
    const commandAt = Date.now();
    const [second] = (await vscode.commands.executeCommand('evalbench.runEval', {
      baseUrl: server.url,
      models: ['fake-model'],
      benchmarks: ['custom'],
      datasetPath: dataset,
    })) as string[];
    started.push(second);
    const summary = await waitForSummary(runsDir(), second);
    assert.equal(summary.headline?.value, 0.75);
    runEvalMs.push(Date.parse(summary.updatedAt) - commandAt);
    // Issue 15: the first Run Eval after a reload should be no slower than the second by more than 300 ms.
    // Printed, never asserted (speed on a shared machine is not a verdict): command → final status saved.
    if (runEvalMs.length === 2) {
      reportFigure(`Run Eval, 4 items, 0 ms loopback server: first after activation ${runEvalMs[0]} ms, second ${runEvalMs[1]} ms (first − second ${runEvalMs[0] - runEvalMs[1]} ms; goal ≤ 300 ms)`);
    }

    await vscode.commands.executeCommand('evalbench.compareRuns', started[0], second, 'q3');
    const tab = await waitFor('the diff tab', () => {
      const active = vscode.window.tabGroups.activeTabGroup.activeTab;
      return active?.input instanceof vscode.TabInputTextDiff ? active.input : undefined;
    });
    assert.equal(tab.original.scheme, 'evalbench-run');
    const left = await vscode.workspace.openTextDocument(tab.original);
    const right = await vscode.workspace.openTextDocument(tab.modified);
    assert.equal(left.getText(), 'warm');
    assert.equal(right.getText(), 'cold');

    await vscode.commands.executeCommand('evalbench.compareRuns', started[0], second);
    await waitFor('the comparison panel', () => {
      const active = vscode.window.tabGroups.activeTabGroup.activeTab;
      return active?.input instanceof vscode.TabInputWebview && active.input.viewType.endsWith('evalbench.comparePanel') ? active : undefined;
    });
  });

  it('re-runs only the failed samples of a run', async () => {
    const { runsDir } = await api();
    const all = { 'What is 2+2?': '4', 'Capital of France?': 'Paris', 'Opposite of hot?': 'cold', 'Colour of the sky?': 'blue' };
    // The first generation request gets a 400 (not retried): one sample fails.
    server.setBehavior({ reply: replyFrom(all), faults: [{ type: 'status', status: 400, message: 'bad request' }] });
    const [runId] = (await vscode.commands.executeCommand('evalbench.runEval', { baseUrl: server.url, models: ['fake-model'], benchmarks: ['custom'], datasetPath: dataset })) as string[];
    started.push(runId);
    const first = await waitForSummary(runsDir(), runId);
    assert.equal(first.counts.request_failed, 1, 'one request failed');
    assert.equal(first.status, 'done_with_errors');
    assert.equal(first.headline?.value, 1, 'the headline is over the 3 judged samples: the failed request is not a wrong answer');

    const before = server.generationRequests().length;
    await vscode.commands.executeCommand('evalbench.rerunFailed', runId, { confirmed: true });
    const second = await waitForSummary(runsDir(), runId, 45_000, first.updatedAt);
    assert.equal(server.generationRequests().length - before, 1, 'only the failed sample is asked again');
    assert.equal(second.counts.request_failed, 0);
    assert.equal(second.status, 'done');
    assert.equal(second.headline?.value, 1);
  });

  it('says there is nothing to retry on a run without failed requests, and re-asks its wrong answers as a new run', async () => {
    const { runsDir } = await api();
    const before = server.generationRequests().length;
    // started[0]: q1, q2 right; q3, q4 wrong; no failed request.
    assert.equal(await vscode.commands.executeCommand('evalbench.rerunFailed', started[0], { confirmed: true }), undefined);
    assert.equal(server.generationRequests().length, before, 'nothing was asked');
    server.setBehavior({ reply: replyFrom({ 'Opposite of hot?': 'cold', 'Colour of the sky?': 'blue' }) });
    const reasked = (await vscode.commands.executeCommand('evalbench.reaskWrong', started[0], { confirmed: true })) as string;
    assert.ok(reasked && reasked !== started[0], 'a new run');
    const summary = await waitForSummary(runsDir(), reasked);
    assert.equal(summary.counts.total, 2, 'only the two wrong items');
    assert.equal(summary.headline?.value, 1);
    assert.equal(server.generationRequests().length - before, 2);
    const original = JSON.parse(fs.readFileSync(path.join(runsDir(), `${started[0]}.summary.json`), 'utf8')) as RunSummary;
    assert.equal(original.headline?.value, 0.5, 'the first run keeps its numbers');
    started.push(reasked);
  });

  it('exports a run as JSONL', async () => {
    const target = vscode.Uri.file(path.join(tmp, 'export.jsonl'));
    await vscode.commands.executeCommand('evalbench.exportRun', started[0], target);
    const lines = fs.readFileSync(target.fsPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 4);
    assert.deepEqual(lines.map((l) => l.passed).filter(Boolean).length, 2);
  });

  it('Export Report… writes one self-contained HTML file for a run and for a comparison of two', async () => {
    const single = vscode.Uri.file(path.join(tmp, 'run-report.html'));
    await vscode.commands.executeCommand('evalbench.exportReport', [started[0]], single);
    const runHtml = fs.readFileSync(single.fsPath, 'utf8');
    assert.match(runHtml, /^<!doctype html>[\s\S]*Content-Security-Policy" content="default-src 'none';[\s\S]*"id":"metrics"/);
    assert.doesNotMatch(runHtml, /<link\b|\ssrc=["']?https?:/i);
    const both = vscode.Uri.file(path.join(tmp, 'compare-report.html'));
    await vscode.commands.executeCommand('evalbench.exportReport', [started[0], started[1]], both);
    const compareHtml = fs.readFileSync(both.fsPath, 'utf8');
    assert.match(compareHtml, /"id":"metric-deltas"[\s\S]*"id":"flips"/);
    assert.match(compareHtml, /Response A[\s\S]*Response B/);
  });

  it('pins a baseline: the tree marks it and shows the other runs\' delta and significance', async () => {
    const { runsDir, runsTree } = await api();
    await vscode.commands.executeCommand('evalbench.setBaseline', started[0]);
    const file = path.join(path.dirname(runsDir()), 'baselines.json');
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')).baselines, { custom: started[0] });
    runsTree.refresh();
    const baseline = runsTree.getTreeItem(await runNode(started[0]));
    assert.equal(baseline.description, '50.0% · done · baseline');
    assert.equal(baseline.contextValue, 'evalbench.run.done.baseline');
    // Second run: q2 lost, q3 and q4 gained: +25 points, McNemar on 1 vs 2 discordant pairs, p = 1.
    const description = await waitFor('the delta against the baseline', async () => {
      const text = String(runsTree.getTreeItem(await runNode(started[1])).description);
      return /pts on \d+ shared items \(p=/.test(text) ? text : undefined;
    });
    // The delta says how many items it is over: those judged in both runs.
    assert.equal(description, '75.0% · +25.0 pts on 4 shared items (p=1)');

    await vscode.commands.executeCommand('evalbench.clearBaseline', started[0]);
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')).baselines, {});
    assert.equal(runsTree.getTreeItem(await runNode(started[1])).description, '75.0% · done');
  });

  it('filters the runs view and shows the filter in its description', async () => {
    const { runsTree, runsView } = await api();
    await vscode.commands.executeCommand('evalbench.filterRuns', { status: 'done', model: 'no-such-model' });
    assert.equal(runsView.description, 'Filtered: model no-such-model · status done');
    assert.deepEqual(await runsTree.getChildren(), []);
    await vscode.commands.executeCommand('evalbench.filterRuns', { model: 'fake-model' });
    assert.equal((await runsTree.getChildren()).length, 1);
    await vscode.commands.executeCommand('evalbench.clearRunsFilter');
    assert.equal(runsView.description, undefined);
    assert.equal((await runsTree.allSummaries()).length >= 3, true);
  });

  it('opens the model matrix for three selected runs, and the leaderboard', async () => {
    const nodes = await Promise.all(started.slice(0, 3).map((id) => runNode(id)));
    // A multi-selection in the tree calls the command with (clicked node, selected nodes).
    const ids = await vscode.commands.executeCommand('evalbench.compareMany', nodes[0], nodes);
    assert.deepEqual(ids, started.slice(0, 3));
    await waitFor('the matrix panel', () => activeWebview('evalbench.matrixPanel'));
    await vscode.commands.executeCommand('evalbench.compareRuns', nodes[0], nodes);
    await waitFor('the matrix panel from Compare with a multi-selection', () => activeWebview('evalbench.matrixPanel'));
    await vscode.commands.executeCommand('evalbench.showLeaderboard');
    await waitFor('the leaderboard panel', () => activeWebview('evalbench.leaderboardPanel'));
  });

  it('exports a run in each format', async () => {
    const written: Record<string, string> = {};
    for (const [format, ext] of [['json', 'json'], ['csv', 'csv'], ['md', 'md'], ['junit', 'xml']]) {
      const target = vscode.Uri.file(path.join(tmp, `export-${format}.${ext}`));
      const file = await vscode.commands.executeCommand('evalbench.exportRun', started[0], target, format);
      assert.equal(file, target.fsPath);
      written[format] = fs.readFileSync(target.fsPath, 'utf8');
    }
    assert.ok(JSON.parse(written.json).benchmarks.custom, 'the JSON report has the run under its benchmark');
    assert.equal(written.csv.trim().split('\n').length, 5, 'a header and one row per sample');
    assert.match(written.md, /fake-model/);
    assert.equal((written.junit.match(/<testcase/g) ?? []).length, 4);
    assert.equal((written.junit.match(/<failure/g) ?? []).length, 2);
  });

  it('deletes a run and its files', async () => {
    const { runsDir } = await api();
    const deleted = await vscode.commands.executeCommand('evalbench.deleteRun', started[1], { confirmed: true });
    assert.equal(deleted, true);
    assert.ok(!fs.existsSync(path.join(runsDir(), `${started[1]}.sqlite`)));
    assert.ok(!fs.existsSync(path.join(runsDir(), `${started[1]}.summary.json`)));
  });
});
