/** The Run Eval wizard's pure parts: step numbers, the Start item, the buttons after a failed listing. */
import { strict as assert } from 'node:assert';
import { describeOverrides, emptyPickMessage, listFailureActions, startItems, stepTitle } from '../../../src/extension/runEval/wizardSteps';

describe('Run Eval wizard steps', () => {
  it('numbers the steps in order, and counts three when the server has a fixed model', () => {
    assert.deepEqual(
      (['server', 'models', 'benchmarks', 'options'] as const).map((s) => stepTitle(s, true, s)),
      ['Run Eval (1/4): server', 'Run Eval (2/4): models', 'Run Eval (3/4): benchmarks', 'Run Eval (4/4): options'],
    );
    assert.deepEqual(
      (['server', 'benchmarks', 'options'] as const).map((s) => stepTitle(s, false, s)),
      ['Run Eval (1/3): server', 'Run Eval (2/3): benchmarks', 'Run Eval (3/3): options'],
    );
  });

  it('makes "Start" run exactly the remembered settings it spells out', () => {
    const last = { limit: 30, samplesPerItem: 2, sampling: { temperature: 0.7 } };
    const [start, defaults, change] = startItems(last);
    assert.equal(start.label, '$(play) Start');
    assert.equal(start.detail, 'As last time: first 30 items, 2 samples per item, temperature 0.7');
    assert.deepEqual(start.overrides, last);
    assert.equal(defaults.label, '$(play) Start with defaults');
    assert.deepEqual(defaults.overrides, {});
    assert.equal(change.overrides, 'ask');
  });

  it('offers one Start with the defaults when nothing was remembered', () => {
    const items = startItems(undefined);
    assert.equal(items.length, 2);
    assert.match(items[0].detail, /^All items, one sample each/);
    assert.deepEqual(items[0].overrides, {});
    assert.deepEqual(startItems({ samplesPerItem: 1, sampling: {} }).map((i) => i.label), ['$(play) Start', '$(settings) Change limit, samples, sampling…']);
  });

  it('offers an API key only after 401/403; Retry and Edit URL after a refused connection', () => {
    assert.deepEqual(listFailureActions(undefined), ['Retry', 'Edit URL', 'Type Model Id']);
    assert.deepEqual(listFailureActions(404), ['Retry', 'Edit URL', 'Type Model Id']);
    assert.deepEqual(listFailureActions(401), ['Enter API Key', 'Edit URL']);
    assert.deepEqual(listFailureActions(403), ['Enter API Key', 'Edit URL']);
  });

  it('says what to do when a step is accepted with nothing ticked', () => {
    assert.match(emptyPickMessage('models'), /Tick at least one model/);
    assert.match(emptyPickMessage('benchmarks'), /Tick at least one benchmark/);
    assert.equal(describeOverrides({}), '');
  });
});
