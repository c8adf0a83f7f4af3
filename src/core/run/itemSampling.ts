/**
 * The sampling settings of each request of a run: the run's, with the item's own stop sequences and, with a
 * seed, each sample's own seed (seed + index), or n samples of an item would be one sample n times.
 */
import type { SamplingSettings } from '../endpoint/types';
import type { StoredItem } from '../storage/types';

export class ItemSampling {
  /** The settings of every item with no stops of its own, when there is no seed: built once. */
  private shared: SamplingSettings | undefined;

  constructor(private readonly run: SamplingSettings) {}

  /**
   * Items that change nothing share one object, so the model client plans it for the server once
   * (ModelClient keeps the plan of the last settings object it was given).
   */
  for(item: StoredItem, sampleIndex: number): SamplingSettings {
    const sampling = this.run;
    const own = (item.prompt.stop?.length ?? 0) > 0 || sampling.seed !== undefined;
    if (!own && this.shared) return this.shared;
    const stop = mergeStops(sampling.stop, item.prompt.stop);
    const built = {
      ...sampling,
      ...(stop ? { stop } : {}),
      ...(sampling.seed !== undefined ? { seed: sampling.seed + sampleIndex } : {}),
    };
    if (!own) this.shared = built;
    return built;
  }
}

function mergeStops(user: string[] | undefined, benchmark: string[] | undefined): string[] | undefined {
  if (!user?.length && !benchmark?.length) return undefined;
  // OpenAI caps stop at 4 sequences; vLLM and llama.cpp take more. Keep the user's first.
  return [...new Set([...(user ?? []), ...(benchmark ?? [])])];
}
