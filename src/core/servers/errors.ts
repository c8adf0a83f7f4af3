import { EvalBenchError } from '../errors';

/** A managed model server could not be started, did not become ready, or exited early. */
export class ServerProcessError extends EvalBenchError {}
