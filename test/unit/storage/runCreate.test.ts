import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { itemsAsStored, jsonRoundTrip } from '../../../src/core/storage/rows';
import { RunStore } from '../../../src/core/storage/runStore';
import type { StoredItem } from '../../../src/core/storage/types';
import { useTempDir } from '../../support/tempDir';
import { config } from './fixtures/runFixtures';

/** Values where JSON's round trip is not the identity: what a new run's writer must see exactly as a reader would. */
const awkward = () => ({
  kept: 'text',
  gone: undefined,
  fn: () => 1,
  nums: [1, -0, Number.NaN, Number.POSITIVE_INFINITY, undefined, 2.5],
  nested: { a: null, b: [undefined, { c: undefined, d: 'x' }], when: new Date(Date.UTC(2026, 0, 2)) },
  ['__proto__']: { own: true },
  7: 'integer keys first',
  unicode: 'é😀\u0000',
});

describe('a new run file written on the storage thread', () => {
  const tmp = useTempDir('evalbench-create-');

  it('jsonRoundTrip gives what JSON.parse(JSON.stringify(x)) gives', () => {
    const cases: unknown[] = [awkward(), null, 'a', 0, -0, Number.NaN, [undefined], { toJSON: () => ({ via: 'toJSON' }) }, new Map([[1, 2]]), [[[-0]]]];
    for (const value of cases) {
      const expected = JSON.parse(JSON.stringify(value));
      const actual = jsonRoundTrip(value);
      assert.deepEqual(actual, expected);
      assert.equal(JSON.stringify(actual), JSON.stringify(expected), 'same keys in the same order');
      assert.deepEqual(Object.getOwnPropertyNames(actual ?? {}), Object.getOwnPropertyNames(expected ?? {}));
    }
  });

  it("the writer's items are the items a reader reads back from the file, in the file's order", async () => {
    const items: StoredItem[] = [
      { id: 'b', index: 1, prompt: { messages: [{ role: 'user', content: 'two' }], stop: undefined }, data: awkward() },
      { id: 'a', index: 0, prompt: { prompt: 'one' }, data: undefined },
      { id: 'c😀', index: 2, prompt: { prompt: 'three' }, data: { x: [1, undefined] } },
    ];
    const store = new RunStore(path.join(tmp.path, 'runs'));
    const writer = await store.create(config(), { runId: 'awkward', items });
    const fromWriter = writer.items();
    await writer.close();
    const reader = await store.openReader('awkward');
    const fromFile = reader.items();
    reader.close();
    assert.deepEqual(fromWriter, fromFile);
    assert.equal(JSON.stringify(fromWriter), JSON.stringify(fromFile));
    assert.deepEqual(itemsAsStored(items).map((i) => i.id), ['a', 'b', 'c😀']);
    assert.ok(!('gone' in (fromWriter[1].data as object)), 'an undefined property is gone, as in the file');
  });

  it('a failed create leaves no file and releases the lock', async () => {
    const store = new RunStore(path.join(tmp.path, 'runs'));
    const duplicate: StoredItem[] = [
      { id: 'same', index: 0, prompt: { prompt: 'x' }, data: null },
      { id: 'same', index: 1, prompt: { prompt: 'y' }, data: null },
    ];
    await assert.rejects(store.create(config(), { runId: 'dup', items: duplicate }), /could not write the new run file/);
    const writer = await store.create(config(), { runId: 'dup', items: duplicate.slice(0, 1) });
    assert.deepEqual(writer.items().map((i) => i.id), ['same']);
    await writer.close();
  });
});
