export { humanevalBenchmark, humanevalOfflineAdapter, humanevalChatMessage, CHAT_INSTRUCTION } from './benchmark';
export { HumanevalScorer, type HumanevalScorerOptions, type HumanevalScoreDetails, type FailureCause } from './scorer';
export { passAtK, meanPassAtK, reportableK, PASS_AT_K_VALUES } from './passAtK';
export { extractChatCompletion, extractCompletionMode, truncateAtStop, HUMANEVAL_STOP_SEQUENCES } from './extraction';
export { NativeExecutor, resolveInterpreter } from './nativeExecutor';
export { WasmExecutor, pyodideIndexURL } from './wasmExecutor';
export { assembleProgram, type CodeExecutor, type ExecutionResult, type ProgramSpec, type Outcome } from './executor';
export { loadHumanevalFile, type HumanevalItemData } from './dataset';
