import * as assert from 'node:assert/strict';
import { batchingSender, isMessageBatch, unpackBatch, type MessageBatch } from '../../../src/shared/workerProtocol';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('worker protocol batching', () => {
  it('posts the messages of one event-loop turn in one batch, in order, and a lone message as it is', async () => {
    const posted: unknown[] = [];
    const send = batchingSender<string>((message) => posted.push(message));
    send('a');
    send('b');
    send('c');
    assert.deepEqual(posted, [], 'nothing leaves before the turn ends');
    await nextTurn();
    assert.deepEqual(posted, [{ evalbenchBatch: ['a', 'b', 'c'] }]);
    send('d');
    await nextTurn();
    assert.deepEqual(posted, [{ evalbenchBatch: ['a', 'b', 'c'] }, 'd']);
  });

  it('with holdMs, gathers the messages of several turns into one batch, in order, posted after the hold', async () => {
    const posted: unknown[] = [];
    const send = batchingSender<string>((message) => posted.push(message), { holdMs: 1_000 });
    send('a');
    await nextTurn();
    send('b');
    await nextTurn();
    send('c');
    // Several turns later the batch still waits (two setImmediate turns take far less than a second, even on a loaded machine).
    assert.deepEqual(posted, [], 'held across turns');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    assert.deepEqual(posted, [{ evalbenchBatch: ['a', 'b', 'c'] }]);
    send('d');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    assert.deepEqual(posted, [{ evalbenchBatch: ['a', 'b', 'c'] }, 'd']);
  });

  it('unpacks a batch into its messages in order, and passes any other message through', () => {
    const received: unknown[] = [];
    const batch: MessageBatch = { evalbenchBatch: [{ kind: 'reply', id: 1 }, { kind: 'reply', id: 2 }] };
    assert.ok(isMessageBatch(batch));
    unpackBatch(batch, (one) => received.push(one));
    unpackBatch({ kind: 'request', id: 3 }, (one) => received.push(one));
    assert.deepEqual(received, [{ kind: 'reply', id: 1 }, { kind: 'reply', id: 2 }, { kind: 'request', id: 3 }]);
  });
});
