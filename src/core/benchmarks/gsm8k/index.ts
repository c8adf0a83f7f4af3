export { gsm8kBenchmark, gsm8kOfflineAdapter, defaultShots, type Gsm8kOptions } from './benchmark';
export { Gsm8kScorer, scoreGsm8k, type Gsm8kScoreDetails } from './scorer';
export { loadGsm8kFile, readGsm8kProblems, type Gsm8kItemData, type Gsm8kProblem } from './dataset';
export { extractStrict, extractFlexible, normalizeNumber, referenceAnswer, sameAnswer, DEFAULT_ANSWER_MARKERS, type ExtractedAnswer } from './answer';
export { buildExemplars, exemplarAnswer, gsm8kPrompt, ZERO_SHOT_INSTRUCTION, COMPLETION_STOPS, DEFAULT_SHOTS, type Exemplar } from './prompts';
