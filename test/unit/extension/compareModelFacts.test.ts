import * as assert from 'node:assert/strict';
import type { ModelFileFacts } from '../../../src/core/modelFile/types';
import { compareContents } from '../../../src/extension/panels/compareViewModel';
import { checkedScore, item, runRecord, sample } from '../../support/runFixtures';

const facts = (quantization: string, sizeBytes: number, chatTemplateSha256: string): ModelFileFacts => ({
  path: `/m/${quantization}.gguf`, fileName: `${quantization}.gguf`, format: 'gguf', ggufVersion: 3, sizeBytes, headerSha256: 'h'.repeat(64),
  parameterCount: 7_000_000_000, quantization, tensorTypes: [], chatTemplateSha256,
});

describe('comparison panel: model file facts and drift', () => {
  const items = Array.from({ length: 4 }, (_, i) => item(`q${i}`, i));
  const a = {
    run: runRecord('A', { modelFile: facts('F16', 14_500_000_000, 'aaaa') }),
    items,
    samples: items.map((it) => sample(it.id, checkedScore(true), { response: `reply ${it.id}` })),
  };
  const b = {
    run: runRecord('B', { modelFile: facts('Q4_K_M', 4_100_000_000, 'bbbb') }),
    items,
    samples: items.map((it, i) => sample(it.id, checkedScore(i !== 0), { response: i === 0 ? 'something else' : `reply ${it.id}` })),
  };

  it('puts "Q4_K_M, 4.1 GB" beside each model in the header and warns when the chat templates differ', () => {
    const snapshot = compareContents(a, b);
    assert.equal(snapshot.a.modelFile, 'F16, 14.5 GB');
    assert.equal(snapshot.b.modelFile, 'Q4_K_M, 4.1 GB');
    assert.ok(snapshot.stats!.warnings.some((w) => /chat templates differ/.test(w)), snapshot.stats!.warnings.join('\n'));
  });

  it('says how far B drifted from A', () => {
    const snapshot = compareContents(a, b);
    assert.match(snapshot.drift![0], /^Identical replies: 3 of the 4 items both answered \(75\.0%\)/);
    assert.deepEqual(snapshot.driftEarliest, [{ itemId: 'q0', at: 0 }]);
  });
});
