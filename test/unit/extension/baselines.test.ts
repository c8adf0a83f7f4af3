import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunData } from '../../../src/core/compare/runData';
import { BaselineDeltas } from '../../../src/extension/baselines/baselineDeltas';
import { baselinesPath, readBaselines, writeBaseline } from '../../../src/extension/baselines/baselineFile';
import { useTempDir } from '../../support/tempDir';
import { checkedScore, item, runRecord, sample, summary } from '../../support/runFixtures';

/** 20 items; the baseline passes all, `worse` fails the first `failures` of them. */
function data(id: string, failures: number): RunData {
  const items = Array.from({ length: 20 }, (_, i) => item(`q${i + 1}`, i));
  return { run: runRecord(id), items, samples: items.map((it, i) => sample(it.id, checkedScore(i >= failures))) };
}

describe('baselines file', () => {
  const tmp = useTempDir();

  it('lives next to the runs folder', () => {
    assert.equal(baselinesPath('/w/.evalbench/runs'), path.join('/w/.evalbench', 'baselines.json'));
  });

  it('pins and clears one baseline per benchmark', async () => {
    const file = path.join(tmp.path, '.evalbench', 'baselines.json');
    assert.deepEqual(await readBaselines(file), {}, 'no file: no baselines');
    await writeBaseline(file, 'ifeval', 'run-a');
    await writeBaseline(file, 'humaneval', 'run-h');
    assert.deepEqual(await writeBaseline(file, 'ifeval', 'run-b'), { ifeval: 'run-b', humaneval: 'run-h' });
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), { version: 1, baselines: { ifeval: 'run-b', humaneval: 'run-h' } });
    await writeBaseline(file, 'ifeval', undefined);
    assert.deepEqual(await readBaselines(file), { humaneval: 'run-h' });
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['baselines.json'], 'no temp file left behind');
  });

  it('names the file and the fix when it is damaged', async () => {
    const file = path.join(tmp.path, 'baselines.json');
    fs.writeFileSync(file, '{ not json');
    await assert.rejects(readBaselines(file), (error: Error) => error.message.includes(file) && /delete it/.test(error.message));
  });
});

describe('deltas against the baseline', () => {
  const runs = new Map([['base', data('base', 0)], ['worse', data('worse', 8)], ['same', data('same', 0)]]);

  function deltas() {
    const loads: string[] = [];
    const computed: string[] = [];
    const cache = new BaselineDeltas(
      async (id) => {
        loads.push(id);
        return runs.get(id)!;
      },
      (id) => computed.push(id),
    );
    return { cache, loads, computed };
  }

  it('says the headline change in points with its p-value, and whether it is significant', async () => {
    const { cache, computed } = deltas();
    const base = summary({ id: 'base' });
    assert.equal(cache.get(base, summary({ id: 'worse' })).kind, 'pending');
    assert.equal(cache.get(base, summary({ id: 'same' })).kind, 'pending');
    await cache.idle();
    assert.deepEqual(computed, ['worse', 'same']);
    // 8 discordant pairs all one way: exact McNemar p = 2 · (1/2)^8 = 0.0078.
    assert.deepEqual(cache.get(base, summary({ id: 'worse' })), {
      kind: 'done', text: '−40.0 pts on 20 shared items (p=0.008)', significant: true, sentence: (cache.get(base, summary({ id: 'worse' })) as { sentence: string }).sentence,
    });
    const same = cache.get(base, summary({ id: 'same' }));
    assert.equal(same.kind === 'done' && same.text, '0.0 pts on 20 shared items (p=1)');
  });

  it('reads the baseline once, and computes again only when a run file changed', async () => {
    const { cache, loads } = deltas();
    const base = summary({ id: 'base' });
    cache.get(base, summary({ id: 'worse' }));
    cache.get(base, summary({ id: 'same' }));
    await cache.idle();
    assert.deepEqual(loads, ['base', 'worse', 'same']);
    cache.get(base, summary({ id: 'worse' }));
    await cache.idle();
    assert.equal(loads.length, 3, 'cached');
    const rewritten = summary({ id: 'worse', updatedAt: '2026-11-21T00:00:00.000Z' });
    cache.prune([base, rewritten, summary({ id: 'same' })]);
    assert.equal(cache.get(base, rewritten).kind, 'pending');
    await cache.idle();
    assert.deepEqual(loads, ['base', 'worse', 'same', 'worse']);
  });

  it('uses the paired bootstrap when the headline is not a 0/1 outcome (several samples per item)', async () => {
    const items = Array.from({ length: 30 }, (_, i) => item(`q${i}`, i));
    const twoSamples = (id: string, passes: (i: number, k: number) => boolean): RunData => ({
      run: runRecord(id, { samplesPerItem: 2 }),
      items,
      samples: items.flatMap((it, i) => [0, 1].map((k) => sample(it.id, checkedScore(passes(i, k)), { sampleIndex: k }))),
    });
    const many = new Map([['base', twoSamples('base', () => true)], ['half', twoSamples('half', (i, k) => i >= 10 || k === 0)]]);
    const cache = new BaselineDeltas(async (id) => many.get(id)!, () => undefined);
    cache.get(summary({ id: 'base' }), summary({ id: 'half' }));
    await cache.idle();
    const state = cache.get(summary({ id: 'base' }), summary({ id: 'half' }));
    // pass@1 falls from 1 to 25/30 (10 items pass one of two samples): −16.7 points, with a bootstrap p-value.
    assert.equal(state.kind, 'done');
    assert.match(state.kind === 'done' ? state.text : '', /^−16\.7 pts on 30 shared items \(p[=<]0\.\d+\)$/);
    assert.match(state.kind === 'done' ? state.sentence : '', /paired bootstrap/);
  });

  it('reports a run that cannot be read instead of failing the tree', async () => {
    const { cache } = deltas();
    cache.get(summary({ id: 'base' }), summary({ id: 'missing' }));
    await cache.idle();
    const state = cache.get(summary({ id: 'base' }), summary({ id: 'missing' }));
    assert.equal(state.kind, 'error');
  });
});
