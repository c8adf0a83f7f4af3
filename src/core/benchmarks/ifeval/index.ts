export { ifevalBenchmark, ifevalOfflineAdapter } from './benchmark';
export { IfevalScorer, scoreIfeval, ifevalFailureScore, type IfevalScorerOptions, type IfevalScoreDetails } from './scorer';
export { ifevalBreakdown, type IfevalBreakdown, type IfevalAccuracy } from './breakdown';
export { loadIfevalFile, parseIfevalItem, type IfevalItemData } from './dataset';
export { evaluateResponse, looseVariants, LOOSE_VARIANT_NAMES } from './evaluate';
export { stripReasoning, hasThinkBlock } from './reasoning';
export { INSTRUCTION_CHECKERS, getChecker, instructionCategory } from './checkers';
export { createCheckContext } from './textAnalysis';
