import { EvalBenchError } from '../errors';

/** A model file is missing, unreadable or not a format EvalBench reads facts from. */
export class ModelFileError extends EvalBenchError {}
