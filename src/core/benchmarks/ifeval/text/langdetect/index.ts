/**
 * Language identification that agrees with Python `langdetect` 1.0.9, as the official IFEval
 * scorer uses it (`langdetect.detect`). Profiles are loaded once, lazily, on first use.
 *
 *   detectLanguage('Hello there, how are you?')  // 'en'
 *   detectLanguage('12345')                       // undefined: Python raises LangDetectException
 */
import { DEFAULT_PARAMETERS, detectBlock, type DetectorParameters, type LanguageProbability } from './detector';
import { loadLanguageModel, resolveProfileSource, type LanguageModel } from './profiles';

export type { LanguageProbability } from './detector';
export type { LanguageModel, ProfileSource } from './profiles';
export { PYTHON_LANGUAGES, npmProfileDir } from './profiles';

export interface DetectLanguageOptions {
  /** DetectorFactory.seed. Default 0 (the seed the IFEval reference labels were made with). */
  seed?: number;
}

/** What `detect` returns in Python when no language passes the 0.1 threshold. */
export const UNKNOWN_LANGUAGE = 'unknown';

let model: LanguageModel | undefined;
let profileDir: string | undefined;
let snapshotCacheDir: string | undefined;

/**
 * Recent answers by seed and text. Loose IFEval scoring asks about the same text several times
 * (variants without '*' are often identical, and prompts repeat checkers); answers are pure.
 */
const CACHE_SIZE = 512;
const cache = new Map<string, readonly LanguageProbability[] | undefined>();

/** Forget cached answers (benchmarks measure the real work with it). */
export function clearLanguageDetectionCache(): void {
  cache.clear();
}

/**
 * Choose where profiles are read from (Python langdetect's `profiles` folder is exact; see
 * profiles.ts for the search order used otherwise). Drops the loaded model.
 */
export function configureLanguageDetection(options: { profileDir?: string }): void {
  profileDir = options.profileDir;
  model = undefined;
  cache.clear();
}

/**
 * The cache folder whose langdetect/ holds the saved model (modelSnapshot.ts), for a process that scores
 * without EVALBENCH_CACHE_DIR in its environment (the CLI scoring IFEval itself: IfevalScorer passes its
 * cacheDir). Used by the next load; a model already loaded stays.
 */
export function setLanguageModelCacheDir(dir: string | undefined): void {
  snapshotCacheDir = dir;
}

/** The loaded model (loading it if needed): which profiles, how many languages, exact or not. */
export function languageModel(): LanguageModel {
  model ??= loadLanguageModel(resolveProfileSource(profileDir), { cacheDir: snapshotCacheDir });
  return model;
}

function parameters(options?: DetectLanguageOptions): DetectorParameters {
  return options?.seed === undefined ? DEFAULT_PARAMETERS : { ...DEFAULT_PARAMETERS, seed: options.seed };
}

/**
 * Languages with probability above 0.1, most probable first, e.g. [{ lang: 'ko', prob: 0.92 }].
 * Undefined where Python raises LangDetectException (no usable n-grams: empty, digits, URLs…).
 */
export function detectLanguageProbabilities(
  text: string,
  options?: DetectLanguageOptions,
): readonly LanguageProbability[] | undefined {
  const params = parameters(options);
  const key = `${params.seed}\u0000${text}`;
  if (cache.has(key)) return cache.get(key);
  const found = detectBlock(languageModel(), text, params);
  const answer = found && Object.freeze(found.map((entry) => Object.freeze(entry)));
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, answer);
  return answer;
}

/**
 * Python `langdetect.detect(text)`: the most probable language code, `'unknown'` when none
 * passes the threshold, undefined where Python raises (the IFEval checkers then pass).
 */
export function detectLanguage(text: string, options?: DetectLanguageOptions): string | undefined {
  const probabilities = detectLanguageProbabilities(text, options);
  if (!probabilities) return undefined;
  return probabilities[0]?.lang ?? UNKNOWN_LANGUAGE;
}

/** "ko (0.92)" or "ko (0.55), ja (0.44)": for verdict explanations. */
export function describeLanguageProbabilities(probabilities: readonly LanguageProbability[] | undefined): string {
  if (!probabilities) return 'no language detected (no usable letters)';
  if (probabilities.length === 0) return UNKNOWN_LANGUAGE;
  return probabilities.map(({ lang, prob }) => `${lang} (${prob.toFixed(2)})`).join(', ');
}
