/** Facts about a model file, as stored with a run. Plain data: no I/O, safe for the webview's types. */

export interface TensorTypeShare {
  /** GGML tensor type: Q4_K, Q6_K, F16, F32… */
  type: string;
  tensors: number;
  parameters: number;
}

export interface ModelFileFacts {
  path: string;
  fileName: string;
  format: 'gguf';
  ggufVersion: number;
  sizeBytes: number;
  /** sha256 of the header bytes followed by the decimal file size. */
  headerSha256: string;
  architecture?: string;
  /** general.name, when the converter wrote one. */
  name?: string;
  parameterCount: number;
  /**
   * The quantization as llama.cpp names it (general.file_type: Q4_K_M, F16…); when the file does not say,
   * the tensor type holding most parameters, marked with "~" ("~Q4_K").
   */
  quantization: string;
  /** Per tensor type, most parameters first. */
  tensorTypes: TensorTypeShare[];
  contextLength?: number;
  tokenizer?: { model?: string; pre?: string; vocabSize?: number };
  /** sha256 of tokenizer.chat_template; absent when the file has no template. */
  chatTemplateSha256?: string;
}
