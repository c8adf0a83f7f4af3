/**
 * One error type per layer. Every message says what was wrong and, where it helps, what to do;
 * these strings are shown to users as they are (CLI output, notifications, the run panel).
 */
export class EvalBenchError extends Error {
  /** What fixes it, as a key of FIX_HINTS (src/core/fixHints.ts): each front end names its flag or setting. */
  fix?: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A dataset file or line is unusable. `location` is "file:line" where known. */
export class DatasetError extends EvalBenchError {
  constructor(message: string, readonly location?: string) {
    super(location ? `${location}: ${message}` : message);
  }
}

/** A model server could not be reached or answered something unusable. */
export class EndpointError extends EvalBenchError {
  constructor(
    message: string,
    readonly details: { url?: string; status?: number; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
  }
}

/** A run file is missing, corrupt, foreign, locked or could not be written. */
export class RunStoreError extends EvalBenchError {
  constructor(message: string, readonly file?: string, options?: { cause?: unknown }) {
    super(file ? `${message} (${file})` : message, options);
  }
}

/** The run (id or file) named by the user is not there: an input error, not a storage failure. */
export class RunNotFoundError extends RunStoreError {}

/** The file named as a run is not one (not SQLite, another program's database, not .sqlite): an input error too. */
export class NotARunFileError extends RunStoreError {}

/** A scorer or the scoring worker failed (not the model's answer being wrong: that is a score). */
export class ScoringError extends EvalBenchError {}

/** Options or settings that do not fit together. */
export class ConfigError extends EvalBenchError {}

/** The user (or a signal) cancelled the work. */
export class CancelledError extends EvalBenchError {
  constructor(message = 'cancelled') {
    super(message);
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
