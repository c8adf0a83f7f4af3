import * as assert from 'node:assert/strict';
import { RunStore } from '../../../src/core/storage/runStore';
import { useTempDir } from '../../support/tempDir';
import { config, items, sample } from './fixtures/runFixtures';

describe('stored logprobs', () => {
  const tmp = useTempDir('evalbench-storage-logprobs-');

  it('a sample keeps its tokens and log-probabilities across close and reopen; a sample without them has none', async () => {
    const store = new RunStore(tmp.path);
    const writer = await store.create(config({ logprobs: true }), { runId: 'lp', items: items(2) });
    const logprobs = { tokens: ['Hel', 'lo', ' “x”'], logprobs: [-0.01, -1.5, -12.25] };
    writer.putSample(sample('q0', 0, { logprobs }));
    writer.putSample(sample('q1'));
    await writer.close();
    const reader = await store.openReader('lp');
    try {
      assert.equal(reader.run().config.logprobs, true);
      const [a, b] = reader.samples();
      assert.deepEqual(a.logprobs, logprobs);
      assert.equal('logprobs' in b, false);
    } finally {
      reader.close();
    }
  });
});
