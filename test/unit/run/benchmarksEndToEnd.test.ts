/**
 * Whole runs with the real scorers: a loopback server answers IFEval prompts with GPT-4's published
 * responses and HumanEval prompts with fenced canonical solutions (chat mode), and the run's stored
 * verdicts must be the official ones.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunStore } from '../../../src/core/storage/runStore';
import { useFakeModelServers } from '../../support/useFakeModelServer';
import { readJsonl, requireSharedData } from '../../support/sharedData';
import { useTempDir } from '../../support/tempDir';
import { useRunManagers } from '../../support/useRunManagers';

describe('whole runs with the real scorers', function () {
  this.timeout(120_000);
  const tmp = useTempDir();
  // Registered in this order: a run is stopped before its server goes.
  const managers = useRunManagers();
  const servers = useFakeModelServers();

  function newManager(runsDir: string) {
    return managers.create({ store: new RunStore(runsDir), cacheDir: path.join(tmp.path, 'cache') });
  }

  it('IFEval: GPT-4 responses served by a model get the official strict and loose verdicts', async function () {
    const inputs = requireSharedData(this, 'ifeval/input_data_gpt4_20231107_145030.jsonl');
    const responses = readJsonl<{ prompt: string; response: string }>(requireSharedData(this, 'ifeval/input_response_data_gpt4_20231107_145030.jsonl'));
    const strict = readJsonl<{ prompt: string; follow_instruction_list: boolean[] }>(requireSharedData(this, 'ifeval/official_results_strict.jsonl'));
    const loose = readJsonl<{ prompt: string; follow_instruction_list: boolean[] }>(requireSharedData(this, 'ifeval/official_results_loose.jsonl'));
    const punktDir = requireSharedData(this, 'ifeval/punkt_tab/english');
    const limit = 25;
    const byPrompt = new Map(responses.map((r) => [r.prompt, r.response]));
    const server = await servers.start({ reply: (r) => byPrompt.get(String(r.body?.messages?.at(-1)?.content)) ?? 'unknown prompt' });
    const runsDir = path.join(tmp.path, 'runs');
    const [handle] = await newManager(runsDir).start({
      benchmark: { id: 'ifeval', datasetPath: inputs, options: { punktDir } },
      endpoints: [{ baseUrl: server.url, model: 'fake-model', mode: 'chat' }],
      limit,
      concurrency: 8,
    });
    const record = await handle.done;
    assert.equal(record.status, 'done');
    assert.equal(record.config.sampling.max_tokens, 1280);
    const reader = await new RunStore(runsDir).openReader(handle.runId);
    const items = new Map(reader.items().map((i) => [i.id, i]));
    const samples = reader.samples();
    reader.close();
    assert.equal(samples.length, limit);
    const officialStrict = new Map(strict.map((r) => [r.prompt, r.follow_instruction_list]));
    const officialLoose = new Map(loose.map((r) => [r.prompt, r.follow_instruction_list]));
    // Keys 1122 and 1129 ask for '#' and '!', which the official code replaces by a random letter; we count
    // the character literally (see test/unit/ifeval/originals.test.ts), so their official verdicts are not ours.
    const randomLetterKeys = new Set(['1122', '1129']);
    for (const sample of samples) {
      if (randomLetterKeys.has(sample.itemId)) continue;
      const prompt = (items.get(sample.itemId)!.data as { prompt: string }).prompt;
      const details = sample.score!.details as { strict: boolean[]; loose: boolean[] };
      assert.deepEqual(details.strict, officialStrict.get(prompt), `strict verdicts of key ${sample.itemId}`);
      assert.deepEqual(details.loose, officialLoose.get(prompt), `loose verdicts of key ${sample.itemId}`);
    }
    const passedStrict = samples.filter((s) => s.score!.passed).length;
    assert.equal(record.metrics.find((m) => m.name === 'prompt_strict')!.value, passedStrict / limit);
  });

  it('HumanEval (chat mode): fenced canonical solutions pass, a wrong one fails with its assertion', async function () {
    const problems = readJsonl<{ task_id: string; prompt: string; canonical_solution: string; entry_point: string }>(requireSharedData(this, 'humaneval/HumanEval.jsonl.gz'));
    const dataset = path.join(tmp.path, 'six.jsonl');
    fs.writeFileSync(dataset, problems.slice(0, 6).map((p) => JSON.stringify(p)).join('\n'));
    const byPrompt = new Map(problems.map((p) => [p.prompt, p]));
    const server = await servers.start({
      reply: (r) => {
        const text = String(r.body?.messages?.at(-1)?.content);
        const problem = [...byPrompt.values()].find((p) => text.includes(p.prompt));
        if (!problem) return 'no idea';
        // The last problem gets a body that returns the wrong type.
        const body = problem === problems[5] ? '    return None\n' : problem.canonical_solution;
        return `Here is the completed function:\n\n\`\`\`python\n${problem.prompt}${body}\`\`\`\n\nIt handles the edge cases.`;
      },
    });
    const runsDir = path.join(tmp.path, 'runs');
    const [handle] = await newManager(runsDir).start({
      benchmark: { id: 'humaneval', datasetPath: dataset, options: { executor: 'wasm' } },
      endpoints: [{ baseUrl: server.url, model: 'fake-model', mode: 'chat' }],
    });
    const record = await handle.done;
    assert.equal(record.status, 'done');
    assert.deepEqual(record.metrics.map((m) => [m.name, m.value]), [['pass@1', 5 / 6]]);
    const reader = await new RunStore(runsDir).openReader(handle.runId);
    const failed = reader.samples().filter((s) => !s.score!.passed);
    reader.close();
    assert.deepEqual(failed.map((s) => s.itemId), [problems[5].task_id]);
    assert.ok(failed[0].score!.failureCause, 'the failure has a cause');
    assert.ok(failed[0].score!.explanation.some((e) => !e.passed && e.detail.length > 0));
  });
});
