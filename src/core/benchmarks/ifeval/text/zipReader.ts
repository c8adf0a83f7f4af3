/**
 * Just enough of the ZIP format to take files out of NLTK's data packages (punkt_tab.zip): the
 * central directory, stored and deflated entries, CRC-32 checks. No ZIP64, no encryption: NLTK's
 * packages use neither, and such an archive is rejected with a message rather than misread.
 */
import * as zlib from 'node:zlib';
import { DatasetError } from '../../../errors';

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

export interface ZipEntry {
  /** Path inside the archive, "/"-separated; folders end with "/". */
  name: string;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
  flags: number;
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3), as stored in ZIP headers. */
export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Lists the entries of a ZIP archive held in memory. `origin` names it in error messages. */
export function listZipEntries(zip: Buffer, origin: string): ZipEntry[] {
  const bad = (what: string) => new DatasetError(`${origin} is not a usable ZIP archive: ${what}`);
  // The end-of-central-directory record sits in the last 22 bytes plus an optional comment.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw bad('no end-of-central-directory record (truncated download?)');
  const count = zip.readUInt16LE(eocd + 10);
  const dirSize = zip.readUInt32LE(eocd + 12);
  const dirOffset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || dirOffset === 0xffffffff) throw bad('ZIP64 archives are not supported');
  if (dirOffset + dirSize > eocd) throw bad('central directory lies outside the file');

  const entries: ZipEntry[] = [];
  let p = dirOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== CENTRAL_SIGNATURE) throw bad(`central directory entry ${n + 1} is damaged`);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    entries.push({
      flags: zip.readUInt16LE(p + 8),
      method: zip.readUInt16LE(p + 10),
      crc32: zip.readUInt32LE(p + 16),
      compressedSize: zip.readUInt32LE(p + 20),
      size: zip.readUInt32LE(p + 24),
      localHeaderOffset: zip.readUInt32LE(p + 42),
      name: zip.toString('utf8', p + 46, p + 46 + nameLength),
    });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The largest entry inflated: the Punkt tables are a few MB. */
const MAX_ENTRY_BYTES = 64 << 20;

/** The bytes of one entry, inflated and checked against its CRC-32 and size. */
export function readZipEntry(zip: Buffer, entry: ZipEntry, origin: string): Buffer {
  const bad = (what: string) => new DatasetError(`${origin}: entry ${entry.name} ${what}`);
  if (entry.flags & 1) throw bad('is encrypted');
  const local = entry.localHeaderOffset;
  if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL_SIGNATURE) throw bad('has a damaged local header');
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  const raw = zip.subarray(start, start + entry.compressedSize);
  if (raw.length !== entry.compressedSize) throw bad('is cut short (truncated download?)');

  // A bomb (a few KB that inflate to gigabytes) is refused before it is inflated, and inflating stops at the size
  // the archive declares.
  if (entry.size > MAX_ENTRY_BYTES) throw bad(`is ${entry.size} bytes, more than the ${MAX_ENTRY_BYTES >> 20} MiB a data file may have`);
  let data: Buffer;
  if (entry.method === 0) {
    data = Buffer.from(raw);
  } else if (entry.method === 8) {
    try {
      data = zlib.inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.size) });
    } catch (error) {
      throw bad(`could not be inflated (${(error as Error).message})`);
    }
  } else {
    throw bad(`uses compression method ${entry.method}; only stored (0) and deflated (8) are supported`);
  }
  if (data.length !== entry.size) throw bad(`has ${data.length} bytes where the archive says ${entry.size}`);
  if (crc32(data) !== entry.crc32) throw bad('fails its CRC-32 check (corrupt download?)');
  return data;
}
