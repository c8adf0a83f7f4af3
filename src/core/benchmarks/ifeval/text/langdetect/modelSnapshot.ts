/**
 * A compact saved form of a built language model. Building it reads 55 JSON profiles (2.3 MB) and numbers
 * ~88,000 n-grams: most of a cold IFEval score. The built tables (the n-gram index and the ~184,000 non-zero
 * probabilities) are saved once per profile folder, keyed by the folder and its files' names, sizes and
 * times, and read back by later processes. A missing, stale or damaged snapshot is ignored (the profiles are
 * read instead), and a folder that cannot be written only costs the speed.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NgramIndex, type NgramIndexState } from './ngramIndex';
import type { LanguageModel, ProfileSource } from './profiles';

const FORMAT = 'evalbench-langdetect-model/1';

interface Header {
  format: string;
  key: string;
  languages: string[];
  exact: boolean;
  nextId: number;
  rowCount: number;
  /** Element counts of the arrays that follow the header, in ARRAYS order. */
  lengths: number[];
}

type ArrayName = keyof Omit<NgramIndexState, 'nextId' | 'rowCount'> | 'cells' | 'values';
const ARRAYS: [ArrayName, Uint16ArrayConstructor | Int32ArrayConstructor | Float64ArrayConstructor][] = [
  ['charIds', Uint16Array],
  ['unigrams', Int32Array],
  ['denseBigrams', Int32Array],
  ['denseTrigrams', Int32Array],
  ['bigrams', Int32Array],
  ['trigramPrefixes', Int32Array],
  ['trigrams', Int32Array],
  ['cells', Int32Array],
  ['values', Float64Array],
];

/** Where the snapshot of `source` lives: under EVALBENCH_CACHE_DIR (set by the host) or the temp folder. */
export function snapshotFile(source: ProfileSource, files: string[], cacheDir = process.env.EVALBENCH_CACHE_DIR): string {
  return path.join(cacheDir || os.tmpdir(), 'langdetect', `model-${snapshotKey(source, files)}.bin`);
}

function snapshotKey(source: ProfileSource, files: string[]): string {
  const hash = createHash('sha256').update(FORMAT).update(`\0${source.dir}\0${source.origin}`);
  for (const file of files) {
    const stat = fs.statSync(file);
    hash.update(`\0${path.basename(file)}\0${stat.size}\0${stat.mtimeMs}`);
  }
  return hash.digest('hex').slice(0, 32);
}

const align8 = (n: number) => (n + 7) & ~7;

/** Save `model` (best effort: a failure to write is not an error). */
export function saveModelSnapshot(file: string, model: LanguageModel): void {
  const state = model.index.exportState();
  const width = model.languages.length;
  let nonZero = 0;
  for (const p of model.probabilities) if (p !== 0) nonZero++;
  const cells = new Int32Array(nonZero);
  const values = new Float64Array(nonZero);
  for (let i = 0, j = 0; i < model.probabilities.length; i++) {
    if (model.probabilities[i] !== 0) {
      cells[j] = i;
      values[j++] = model.probabilities[i];
    }
  }
  const arrays: Record<ArrayName, ArrayBufferView & { length: number }> = { ...state, cells, values };
  const header: Header = {
    format: FORMAT,
    key: path.basename(file),
    languages: [...model.languages],
    exact: model.exact,
    nextId: state.nextId,
    rowCount: state.rowCount,
    lengths: ARRAYS.map(([name]) => arrays[name].length),
  };
  if (model.probabilities.length !== state.rowCount * width) return;
  const headerBytes = Buffer.from(JSON.stringify(header));
  const parts: Buffer[] = [Buffer.alloc(4), headerBytes, Buffer.alloc(align8(4 + headerBytes.length) - 4 - headerBytes.length)];
  parts[0].writeUInt32LE(headerBytes.length);
  for (const [name] of ARRAYS) {
    const view = arrays[name];
    const bytes = Buffer.from(view.buffer, view.byteOffset, view.byteLength);
    parts.push(bytes, Buffer.alloc(align8(bytes.length) - bytes.length));
  }
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, Buffer.concat(parts));
    fs.renameSync(temp, file); // whole or absent, never half written
  } catch {
    // A read-only cache folder: the next process builds the model again.
  }
}

/** The model saved for `source`, or undefined when there is none or it does not check out. */
export function loadModelSnapshot(file: string, source: ProfileSource): LanguageModel | undefined {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  try {
    const headerLength = data.readUInt32LE(0);
    const header = JSON.parse(data.subarray(4, 4 + headerLength).toString('utf8')) as Header;
    if (header.format !== FORMAT || header.key !== path.basename(file) || header.lengths.length !== ARRAYS.length) return undefined;
    // Copied out of the file's buffer into aligned arrays of their own.
    const copy = Buffer.from(data);
    let offset = align8(4 + headerLength);
    const arrays = {} as Record<ArrayName, Uint16Array | Int32Array | Float64Array>;
    ARRAYS.forEach(([name, Type], i) => {
      const byteLength = header.lengths[i] * Type.BYTES_PER_ELEMENT;
      if (offset + byteLength > copy.length) throw new RangeError('snapshot is truncated');
      arrays[name] = new Type(copy.buffer, copy.byteOffset + offset, header.lengths[i]);
      offset += align8(byteLength);
    });
    const width = header.languages.length;
    const probabilities = new Float64Array(header.rowCount * width);
    const cells = arrays.cells as Int32Array;
    const values = arrays.values as Float64Array;
    if (cells.length !== values.length) return undefined;
    for (let i = 0; i < cells.length; i++) {
      if (cells[i] < 0 || cells[i] >= probabilities.length) return undefined;
      probabilities[cells[i]] = values[i];
    }
    const index = new NgramIndex({
      charIds: arrays.charIds as Uint16Array,
      unigrams: arrays.unigrams as Int32Array,
      denseBigrams: arrays.denseBigrams as Int32Array,
      denseTrigrams: arrays.denseTrigrams as Int32Array,
      bigrams: arrays.bigrams as Int32Array,
      trigramPrefixes: arrays.trigramPrefixes as Int32Array,
      trigrams: arrays.trigrams as Int32Array,
      nextId: header.nextId,
      rowCount: header.rowCount,
    });
    return { source, languages: header.languages, index, probabilities, exact: header.exact };
  } catch {
    return undefined; // damaged: rebuilt from the profiles
  }
}
