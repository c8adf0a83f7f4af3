/**
 * The Run Eval wizard's words and choices, without `vscode`: step titles that count right, the
 * "Start" item that spells out exactly what it will run, and which buttons follow a failed model
 * listing (an API key only when the server asked for one).
 */
import type { RunEvalChoices } from './runRequestBuilder';

export type WizardStep = 'server' | 'models' | 'benchmarks' | 'options';

/** "Run Eval (2/4): models". A server with a fixed model has no model step, so it counts 3. */
export function stepTitle(step: WizardStep, hasModelStep: boolean, what: string): string {
  const steps: WizardStep[] = hasModelStep ? ['server', 'models', 'benchmarks', 'options'] : ['server', 'benchmarks', 'options'];
  return `Run Eval (${steps.indexOf(step) + 1}/${steps.length}): ${what}`;
}

/** The overrides a run would use: limit, samples, sampling. */
export type RunOverrides = Pick<RunEvalChoices, 'limit' | 'samplesPerItem' | 'sampling'>;

export function hasOverrides(o: RunOverrides | undefined): boolean {
  return !!o && (o.limit !== undefined || (o.samplesPerItem ?? 1) > 1 || Object.keys(o.sampling ?? {}).length > 0);
}

/** "limit 30, 2 samples, temperature 0.7"; "" for none. */
export function describeOverrides(o: RunOverrides): string {
  const parts: string[] = [];
  if (o.limit) parts.push(`first ${o.limit} items`);
  if (o.samplesPerItem && o.samplesPerItem > 1) parts.push(`${o.samplesPerItem} samples per item`);
  for (const [k, v] of Object.entries(o.sampling ?? {})) parts.push(`${k} ${Array.isArray(v) ? v.join('|') : v}`);
  return parts.join(', ');
}

export interface StartItem {
  label: string;
  detail: string;
  /** What this item runs with: exactly what its words say. */
  overrides: RunOverrides | 'ask';
}

/**
 * The options step: the default (first) item is "Start" with last time's settings, spelled out; then
 * "Start with defaults" when last time had any; then "Change…".
 */
export function startItems(last: RunOverrides | undefined): StartItem[] {
  const defaults = 'all items, one sample each, the benchmark’s sampling defaults (temperature 0)';
  const items: StartItem[] = [];
  if (last && hasOverrides(last)) {
    const remembered = { limit: last.limit, samplesPerItem: last.samplesPerItem, sampling: last.sampling };
    items.push({ label: '$(play) Start', detail: `As last time: ${describeOverrides(remembered)}`, overrides: remembered });
    items.push({ label: '$(play) Start with defaults', detail: defaults[0].toUpperCase() + defaults.slice(1), overrides: {} });
  } else {
    items.push({ label: '$(play) Start', detail: defaults[0].toUpperCase() + defaults.slice(1), overrides: {} });
  }
  items.push({ label: '$(settings) Change limit, samples, sampling…', detail: 'Set them for this run (remembered for next time)', overrides: 'ask' });
  return items;
}

export type ListFailureAction = 'Retry' | 'Edit URL' | 'Enter API Key' | 'Type Model Id';

/**
 * Buttons after listing the models failed. 401/403: the server wants a key. Anything else (refused,
 * timed out, not an OpenAI server) is about the URL or the server being up: never a key.
 */
export function listFailureActions(status: number | undefined): ListFailureAction[] {
  if (status === 401 || status === 403) return ['Enter API Key', 'Edit URL'];
  return ['Retry', 'Edit URL', 'Type Model Id'];
}

/** The message shown when a multi-pick step was accepted with nothing ticked. */
export function emptyPickMessage(what: 'models' | 'benchmarks'): string {
  return what === 'models' ? 'Tick at least one model (Space ticks the highlighted one), then press Enter.' : 'Tick at least one benchmark (Space ticks the highlighted one), then press Enter.';
}
