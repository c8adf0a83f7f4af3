/** How EvalBench starts (or finds) the server for one model: settings `evalbench.servers` and CLI flags. */

/** llama.cpp's llama-server on one GGUF file. */
export interface LlamaCppProfile {
  kind: 'llama.cpp';
  name?: string;
  /** Path of llama-server, or a name on PATH (default "llama-server"). */
  binary?: string;
  modelFile: string;
  ctxSize?: number;
  /** Slots: requests the server runs at once (and EvalBench's default concurrency). */
  parallel?: number;
  extraArgs?: string[];
}

/** `vllm serve MODEL …` (a hub id or a local folder). */
export interface VllmProfile {
  kind: 'vllm';
  name?: string;
  /** Path of the vllm executable, or a name on PATH (default "vllm"). */
  command?: string;
  model: string;
  /** e.g. ["--quantization", "awq", "--max-model-len", "8192"]. */
  extraArgs?: string[];
}

/** A model on an Ollama daemon that is already running: nothing is started or pulled, only selected. */
export interface OllamaProfile {
  kind: 'ollama';
  name?: string;
  /** Default http://127.0.0.1:11434. */
  baseUrl?: string;
  model: string;
}

/**
 * Any command line, as an argument array with placeholders: {port}, {host} and {model} (the model file or
 * name) are replaced in each argument. Never run through a shell.
 */
export interface CommandProfile {
  kind: 'command';
  name?: string;
  command: string[];
  /** What {model} stands for: a model file or a model name. */
  model?: string;
  /** The model id the server serves; default: the first id of its /v1/models. */
  modelId?: string;
}

export type ServerProfile = LlamaCppProfile | VllmProfile | OllamaProfile | CommandProfile;

/** A process to start: argument array, and what to call the server once it is up. */
export interface ProcessLaunch {
  kind: 'process';
  command: string;
  args: string[];
  host: string;
  port: number;
  /** The id to send as `model`; undefined: ask /v1/models. */
  modelId?: string;
  /** For people and logs: "llama-server Q4_K_M.gguf". */
  label: string;
  /** A local model file the server loads (its GGUF facts are stored with the run). */
  modelFile?: string;
}

/** A server that is already running (Ollama): nothing to start or stop. */
export interface AttachLaunch {
  kind: 'attach';
  baseUrl: string;
  modelId: string;
  label: string;
}

export type ServerLaunch = ProcessLaunch | AttachLaunch;
