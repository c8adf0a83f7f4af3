/**
 * Facts about a GGUF model file, read from its header only (a few MB at most, never the weights):
 * what the comparison header shows ("Q4_K_M, 4.1 GB vs F16, 14.5 GB") and what tells two runs'
 * models apart (a chat template that differs makes a comparison unfair).
 *
 * The header is parsed by @huggingface/gguf (maintained by Hugging Face, reads local files by ranges).
 * The fingerprint is sha256 over the header bytes plus the file size: hashing 15 GB of weights would
 * take a minute, while two files with the same header and size are the same model for our purposes.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { gguf, GGMLFileQuantizationType, GGMLQuantizationType } from '@huggingface/gguf';
import { ModelFileError } from './errors';
import type { ModelFileFacts, TensorTypeShare } from './types';

export type { ModelFileFacts, TensorTypeShare } from './types';

const GGUF_MAGIC = 'GGUF';

export async function readGgufFacts(file: string): Promise<ModelFileFacts> {
  const absolute = path.resolve(file);
  let size: number;
  try {
    const stat = await fs.stat(absolute);
    if (!stat.isFile()) throw new ModelFileError(`${absolute} is not a file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    throw new ModelFileError(`cannot read the model file ${absolute}: ${(error as Error).message}`, { cause: error });
  }
  await assertMagic(absolute);
  let parsed: Awaited<ReturnType<typeof gguf>>;
  try {
    parsed = await gguf(absolute, { allowLocalFile: true });
  } catch (error) {
    throw new ModelFileError(`${absolute} is not a readable GGUF file: ${(error as Error).message}`, { cause: error });
  }
  // The parser reads past the end of a cut file as zeros instead of failing: the header must fit in the file.
  if (Number(parsed.tensorDataOffset) > size) {
    throw new ModelFileError(`${absolute} is cut short: its GGUF header needs ${parsed.tensorDataOffset} bytes but the file has ${size}`);
  }
  const meta = parsed.metadata as unknown as Record<string, unknown>;
  const architecture = stringValue(meta['general.architecture']);
  const tensorTypes = summarizeTensors(parsed.tensorInfos);
  const parameterCount = tensorTypes.reduce((sum, t) => sum + t.parameters, 0);
  const template = stringValue(meta['tokenizer.chat_template']);
  const tokens = meta['tokenizer.ggml.tokens'];
  const tokenizerModel = stringValue(meta['tokenizer.ggml.model']);
  const tokenizerPre = stringValue(meta['tokenizer.ggml.pre']);
  const facts: ModelFileFacts = {
    path: absolute,
    fileName: path.basename(absolute),
    format: 'gguf',
    ggufVersion: Number(parsed.metadata.version),
    sizeBytes: size,
    headerSha256: await headerFingerprint(absolute, Number(parsed.tensorDataOffset), size),
    parameterCount,
    quantization: quantizationName(meta['general.file_type'], tensorTypes),
    tensorTypes,
  };
  if (architecture) facts.architecture = architecture;
  const name = stringValue(meta['general.name']);
  if (name) facts.name = name;
  const contextLength = architecture ? numberValue(meta[`${architecture}.context_length`]) : undefined;
  if (contextLength !== undefined) facts.contextLength = contextLength;
  if (tokenizerModel || tokenizerPre || Array.isArray(tokens)) {
    facts.tokenizer = {
      ...(tokenizerModel ? { model: tokenizerModel } : {}),
      ...(tokenizerPre ? { pre: tokenizerPre } : {}),
      ...(Array.isArray(tokens) ? { vocabSize: tokens.length } : {}),
    };
  }
  if (template !== undefined) facts.chatTemplateSha256 = sha256(template);
  return facts;
}

function summarizeTensors(infos: { shape: bigint[]; dtype: number }[]): TensorTypeShare[] {
  const byType = new Map<string, TensorTypeShare>();
  for (const info of infos) {
    const type = GGMLQuantizationType[info.dtype] ?? `type ${info.dtype}`;
    const parameters = info.shape.reduce((product, dim) => product * Number(dim), 1);
    const share = byType.get(type) ?? { type, tensors: 0, parameters: 0 };
    share.tensors++;
    share.parameters += parameters;
    byType.set(type, share);
  }
  return [...byType.values()].sort((a, b) => b.parameters - a.parameters || a.type.localeCompare(b.type));
}

function quantizationName(fileType: unknown, tensorTypes: TensorTypeShare[]): string {
  const code = numberValue(fileType);
  if (code !== undefined) {
    // llama.cpp writes "MOSTLY_" in its enum; the names users know drop it.
    const name = GGMLFileQuantizationType[code];
    if (name) return name.replace(/^MOSTLY_/, '');
    return `file type ${code}`;
  }
  return tensorTypes.length > 0 ? `~${tensorTypes[0].type}` : 'unknown';
}

async function assertMagic(file: string): Promise<void> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(4);
    const { bytesRead } = await handle.read(buffer, 0, 4, 0);
    if (bytesRead < 4 || buffer.toString('latin1') !== GGUF_MAGIC) {
      throw new ModelFileError(`${file} is not a GGUF file (it does not start with "GGUF"); EvalBench reads model facts from GGUF files only`);
    }
  } finally {
    await handle.close();
  }
}

async function headerFingerprint(file: string, headerBytes: number, size: number): Promise<string> {
  const hash = createHash('sha256');
  const handle = await fs.open(file, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    let position = 0;
    const end = Math.min(headerBytes, size);
    while (position < end) {
      const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, end - position), position);
      if (bytesRead === 0) break;
      hash.update(chunk.subarray(0, bytesRead));
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
  hash.update(`\u0000${size}`);
  return hash.digest('hex');
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function numberValue(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}
