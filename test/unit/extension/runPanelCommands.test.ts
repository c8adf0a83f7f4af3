/** The run panel's buttons run `evalbench.<command>` on the host: only the listed run commands get through. */
import * as assert from 'node:assert/strict';
import { RUN_COMMANDS, isRunCommand } from '../../../src/shared/webviewProtocol';

describe('run panel commands', () => {
  it('accepts the run panel buttons and nothing else a message might name', () => {
    assert.deepEqual(RUN_COMMANDS.filter(isRunCommand), [...RUN_COMMANDS]);
    for (const other of ['deleteRun', 'evalbench.deleteRun', 'resumeRun ', 'ResumeRun', '', 'constructor', undefined, null, 42, { command: 'resumeRun' }]) {
      assert.equal(isRunCommand(other), false, String(other));
    }
  });
});
