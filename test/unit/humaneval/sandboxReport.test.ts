import { strict as assert } from 'node:assert';
import { sandboxGaps, sandboxLines, sandboxOf } from '../../../src/core/benchmarks/humaneval/sandboxReport';
import { headerView } from '../../../src/extension/panels/runViewModel';
import type { RunRecord } from '../../../src/core/storage/types';

const iso = { executor: 'native', network: 'cut (empty network namespace)', filesystem: 'NOT RESTRICTED: Landlock is not available', user: 'nobody (uid 65534)' };

describe('humaneval sandbox report', () => {
  it('reads the isolation of the first sample that ran code, limits not applied first', () => {
    assert.equal(sandboxOf([{}, { score: { details: {} } }]), undefined);
    const found = sandboxOf([{ score: { details: { extraction: 'failed' } } }, { score: { details: { isolation: iso } } }]);
    assert.deepEqual(found, iso);
    assert.equal(sandboxLines(iso)[0], 'filesystem: NOT RESTRICTED: Landlock is not available');
    assert.deepEqual(sandboxGaps(iso), ['filesystem: NOT RESTRICTED: Landlock is not available']);
  });

  it('puts it in the run panel header', () => {
    const run = {
      id: 'r1',
      createdAt: '2026-01-01T00:00:00Z',
      config: { benchmarkId: 'humaneval', benchmarkVersion: '1', sampling: { temperature: 0, max_tokens: 16 }, samplesPerItem: 1, endpoint: { model: 'm', baseUrl: 'http://127.0.0.1:1/v1', mode: 'completions' } },
    } as unknown as RunRecord;
    assert.equal(headerView(run).sandbox, undefined);
    assert.deepEqual(headerView(run, [{ score: { details: { isolation: iso } } }]).sandbox, sandboxLines(iso));
  });
});
