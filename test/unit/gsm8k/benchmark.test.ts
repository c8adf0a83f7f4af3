import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getBenchmarkDefinition, getOfflineAdapter } from '../../../src/core/benchmarks/registry';
import { exemplarAnswer, gsm8kBenchmark, ZERO_SHOT_INSTRUCTION } from '../../../src/core/benchmarks/gsm8k';
import { useTempDir } from '../../support/tempDir';
import { requireSharedData } from '../../support/sharedData';

const line = (question: string, answer: string) => JSON.stringify({ question, answer });

describe('GSM8K benchmark definition', () => {
  const tmp = useTempDir();

  function files(trainCount = 3): string {
    const dir = path.join(tmp.path, 'gsm8k');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'test.jsonl'), [line('How many?', 'It is 2+2=<<2+2=4>>4\n#### 4'), line('And now?', 'Half of 10 is 5\n#### 5')].join('\n'));
    const train = Array.from({ length: trainCount }, (_, i) => line(`Train ${i}?`, `First ${i}*2=<<${i}*2=${i * 2}>>${i * 2} apples\nThen add 1.\n#### ${i * 2 + 1}`));
    fs.writeFileSync(path.join(dir, 'train.jsonl'), train.join('\n'));
    return path.join(dir, 'test.jsonl');
  }

  it('is registered for runs and for scoring responses files', () => {
    assert.equal(getBenchmarkDefinition('gsm8k').id, 'gsm8k');
    assert.equal(getOfflineAdapter('gsm8k').parseRow({ id: 3, response: 'x' }, 'f:1').itemId, '3');
    assert.throws(() => getBenchmarkDefinition('gsm8k', { shots: -1 }), /shots must be a whole number/);
  });

  it('rewrites a worked answer without calculator notes, ending in "The answer is N."', () => {
    assert.equal(
      exemplarAnswer({ solution: 'Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nNatalia sold 48+24 = <<48+24=72>>72 clips altogether\n#### 72', answer: '72' }),
      'Natalia sold 48/2 = 24 clips in May. Natalia sold 48+24 = 72 clips altogether. The answer is 72.',
    );
  });

  it('asks zero-shot in chat and 8-shot... or the chosen shots, with exemplars from train.jsonl in file order', async () => {
    const test = files();
    const zero = gsm8kBenchmark();
    const data = await zero.loadDataset({ path: test, cacheDir: tmp.path });
    assert.deepEqual(data.items.map((i) => [i.id, i.data.answer]), [['0', '4'], ['1', '5']]);
    const chat = zero.buildPrompt(data.items[0], 'chat');
    assert.deepEqual(chat.messages, [{ role: 'user', content: `${ZERO_SHOT_INSTRUCTION}\n\nQuestion: How many?` }]);

    const two = gsm8kBenchmark({ shots: 2 });
    const loaded = await two.loadDataset({ path: test, cacheDir: tmp.path });
    assert.match(loaded.origin, /the first 2 problems of .*train\.jsonl, sha256 [0-9a-f]{64}/);
    const fewChat = two.buildPrompt(loaded.items[1], 'chat');
    assert.equal(fewChat.messages!.length, 5);
    assert.equal(fewChat.messages![1].content, 'First 0*2=0 apples. Then add 1. The answer is 1.');
    assert.equal(fewChat.messages![2].content, 'Question: Train 1?');
    assert.equal(fewChat.messages![4].content, 'Question: And now?');
    const completion = two.buildPrompt(loaded.items[1], 'completions');
    assert.equal(completion.prompt, 'Q: Train 0?\nA: First 0*2=0 apples. Then add 1. The answer is 1.\n\nQ: Train 1?\nA: First 1*2=2 apples. Then add 1. The answer is 3.\n\nQ: And now?\nA:');
    assert.deepEqual(completion.stop, ['Q:', '</s>', '<|im_end|>']);
  });

  it('names the line of a malformed problem and refuses too few exemplars', async () => {
    const test = files(1);
    await assert.rejects(gsm8kBenchmark({ shots: 2 }).loadDataset({ path: test, cacheDir: tmp.path }), /train\.jsonl: has 1 problems, fewer than the 2/);
    fs.appendFileSync(test, `\n${line('Broken?', 'no final answer')}`);
    await assert.rejects(gsm8kBenchmark({ shots: 0 }).loadDataset({ path: test, cacheDir: tmp.path }), /test\.jsonl:3: field 'answer' has no final '#### N'/);
  });

  it('loads the 1,319 test problems, and the first 8 train problems as the documented exemplars', async function () {
    const test = requireSharedData(this, 'gsm8k/test.jsonl');
    const definition = gsm8kBenchmark();
    const data = await definition.loadDataset({ path: test, cacheDir: tmp.path });
    assert.equal(data.items.length, 1319);
    const prompt = definition.buildPrompt(data.items[0], 'completions').prompt!;
    assert.equal(prompt.match(/^Q: /gm)?.length, 9);
    assert.match(prompt, /^Q: Natalia sold clips to 48 of her friends in April/);
    assert.equal(prompt.match(/The answer is \d+\./g)?.length, 8);
    assert.doesNotMatch(prompt, /<<|####/);
  });

  it('runs from the bundled copy of data/gsm8k by default, exemplars from the bundled train.jsonl', async () => {
    const definition = gsm8kBenchmark({ shots: 8 });
    const data = await definition.loadDataset({ cacheDir: tmp.path });
    assert.equal(data.items.length, 1319);
    assert.match(data.origin, /^bundled copy .*data\/gsm8k\/test\.jsonl \(few-shot exemplars, when used: the first 8 problems of .*data\/gsm8k\/train\.jsonl, sha256 17f347dc/);
    assert.equal(data.sha256, '3730d312f6e3440559ace48831e51066acaca737f6eabec99bccb9e4b3c39d14');
    const chat = definition.buildPrompt(data.items[0], 'chat');
    assert.equal(chat.messages!.length, 17);
    assert.match(chat.messages![1].content, /^Natalia sold 48\/2 = 24 clips in May\. .* The answer is 72\.$/);
  });

  it('counts a failed request in both metrics\u2019 denominators', () => {
    const definition = gsm8kBenchmark();
    const failed = definition.scoreForFailure!({ id: '1', data: { question: '', solution: '', answer: '1' } }, 'HTTP 500', 'request_failed');
    const ok = { passed: true, score: 1, values: { strict: 1, flexible: 1 }, explanation: [] };
    const metrics = definition.aggregate([{ itemId: '0', sampleIndex: 0, score: ok }, { itemId: '1', sampleIndex: 0, score: failed }], 2);
    assert.deepEqual(metrics.map((m) => [m.name, m.value, m.n]), [['exact_match_strict', 0.5, 2], ['exact_match_flexible', 0.5, 2]]);
  });
});
