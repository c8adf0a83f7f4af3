/** Builds small ZIP archives in memory for tests (stored or deflated entries, no ZIP64). */
import * as zlib from 'node:zlib';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PUNKT_FILES } from '../../../src/core/benchmarks/ifeval/text/punkt';
import { crc32 } from '../../../src/core/benchmarks/ifeval/text/zipReader';

export interface FixtureEntry {
  name: string;
  data?: Buffer | string;
  /** Deflate (default) or store. */
  store?: boolean;
}

export function buildZip(entries: FixtureEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data ?? '', 'utf8');
    const method = entry.store || entry.name.endsWith('/') ? 0 : 8;
    const body = method === 8 ? zlib.deflateRawSync(data) : data;
    const crc = crc32(data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const dir = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(dir.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, eocd]);
}

/** A punkt_tab.zip shaped like NLTK's: README, several languages, folder entries. */
export function punktTabZip(englishDir: string, mutate?: (entries: FixtureEntry[]) => void): Buffer {
  const entries: FixtureEntry[] = [
    { name: 'punkt_tab/' },
    { name: 'punkt_tab/README', data: 'Pretrained Punkt Models\n', store: true },
    { name: 'punkt_tab/english/' },
    ...PUNKT_FILES.map((file) => ({ name: `punkt_tab/english/${file}`, data: fs.readFileSync(path.join(englishDir, file)) })),
    { name: 'punkt_tab/english/../../escape.txt', data: 'must not be written' },
    { name: 'punkt_tab/german/abbrev_types.txt', data: 'usw\n' },
  ];
  mutate?.(entries);
  return buildZip(entries);
}
