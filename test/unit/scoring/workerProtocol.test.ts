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

  it('unpacks a batch into its messages in order, and passes any other message through', () => {
    const received: unknown[] = [];
    const batch: MessageBatch = { evalbenchBatch: [{ kind: 'reply', id: 1 }, { kind: 'reply', id: 2 }] };
    assert.ok(isMessageBatch(batch));
    unpackBatch(batch, (one) => received.push(one));
    unpackBatch({ kind: 'request', id: 3 }, (one) => received.push(one));
    assert.deepEqual(received, [{ kind: 'reply', id: 1 }, { kind: 'reply', id: 2 }, { kind: 'request', id: 3 }]);
  });
});
