/**
 * Writes small GGUF v3 files for tests: the header (metadata and tensor infos) written byte by byte from
 * the format's specification, independent of the parser under test, then the file extended to the size
 * asked for (sparse, so a "14.5 GB" file costs nothing on disk).
 */
import * as fs from 'node:fs';

export type GgufValue =
  | { type: 'u32'; value: number }
  | { type: 'u64'; value: bigint }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'string[]'; value: string[] };

export interface GgufTensorSpec {
  name: string;
  shape: number[];
  /** GGML type id: 0 F32, 1 F16, 8 Q8_0, 12 Q4_K, 14 Q6_K… */
  type: number;
}

export interface GgufSpec {
  metadata: Record<string, GgufValue>;
  tensors: GgufTensorSpec[];
  /** Final file size; at least the header's. */
  sizeBytes?: number;
}

const ALIGNMENT = 32;

export function ggufHeader(spec: GgufSpec): Buffer {
  const parts: Buffer[] = [];
  const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); parts.push(b); };
  const u64 = (n: bigint) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(n); parts.push(b); };
  const str = (s: string) => { const bytes = Buffer.from(s, 'utf8'); u64(BigInt(bytes.length)); parts.push(bytes); };
  parts.push(Buffer.from('GGUF', 'latin1'));
  u32(3);
  u64(BigInt(spec.tensors.length));
  u64(BigInt(Object.keys(spec.metadata).length));
  for (const [key, v] of Object.entries(spec.metadata)) {
    str(key);
    switch (v.type) {
      case 'u32': u32(4); u32(v.value); break;
      case 'u64': u32(10); u64(v.value); break;
      case 'f32': { u32(6); const b = Buffer.alloc(4); b.writeFloatLE(v.value); parts.push(b); break; }
      case 'bool': u32(7); parts.push(Buffer.from([v.value ? 1 : 0])); break;
      case 'string': u32(8); str(v.value); break;
      case 'string[]': u32(9); u32(8); u64(BigInt(v.value.length)); v.value.forEach(str); break;
    }
  }
  let offset = 0n;
  for (const tensor of spec.tensors) {
    str(tensor.name);
    u32(tensor.shape.length);
    for (const dim of tensor.shape) u64(BigInt(dim));
    u32(tensor.type);
    u64(offset);
    offset += 64n; // not the real data size: the parser never reads tensor data
  }
  const header = Buffer.concat(parts);
  const padded = Math.ceil(header.length / ALIGNMENT) * ALIGNMENT;
  return Buffer.concat([header, Buffer.alloc(padded - header.length)]);
}

export function writeGguf(file: string, spec: GgufSpec): void {
  const header = ggufHeader(spec);
  fs.writeFileSync(file, header);
  if (spec.sizeBytes !== undefined && spec.sizeBytes > header.length) fs.truncateSync(file, spec.sizeBytes);
}

/** A small llama-like model: the same shapes, quantized as `fileType` (15 = Q4_K_M, 1 = F16) with `tensorType`. */
export function tinyLlamaSpec(options: { fileType?: number; tensorType: number; chatTemplate?: string; sizeBytes?: number; name?: string }): GgufSpec {
  const metadata: Record<string, GgufValue> = {
    'general.architecture': { type: 'string', value: 'llama' },
    'general.name': { type: 'string', value: options.name ?? 'Tiny Llama' },
    'llama.context_length': { type: 'u32', value: 4096 },
    'llama.block_count': { type: 'u32', value: 2 },
    'llama.embedding_length': { type: 'u32', value: 64 },
    'tokenizer.ggml.model': { type: 'string', value: 'gpt2' },
    'tokenizer.ggml.pre': { type: 'string', value: 'qwen2' },
    'tokenizer.ggml.tokens': { type: 'string[]', value: ['<s>', '</s>', 'a', 'b', 'c'] },
  };
  if (options.fileType !== undefined) metadata['general.file_type'] = { type: 'u32', value: options.fileType };
  if (options.chatTemplate !== undefined) metadata['tokenizer.chat_template'] = { type: 'string', value: options.chatTemplate };
  return {
    metadata,
    tensors: [
      { name: 'token_embd.weight', shape: [64, 5], type: 0 },
      { name: 'blk.0.attn_q.weight', shape: [64, 64], type: options.tensorType },
      { name: 'blk.1.attn_q.weight', shape: [64, 64], type: options.tensorType },
      { name: 'output_norm.weight', shape: [64], type: 0 },
    ],
    sizeBytes: options.sizeBytes,
  };
}
