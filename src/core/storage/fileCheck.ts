/**
 * Looks at a file's bytes before sql.js does: sql.js opens almost anything lazily and fails later with
 * "file is not a database", so a non-SQLite or truncated file is named here, with what to do.
 */
import { NotARunFileError, RunStoreError } from '../errors';

const MAGIC = Buffer.from('SQLite format 3\u0000', 'latin1');

export function checkSqliteBytes(bytes: Uint8Array, file: string): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length === 0) throw new RunStoreError('the run file is empty (a write was cut off before it began?); it was left as it is', file);
  const head = buf.subarray(0, Math.min(buf.length, MAGIC.length));
  if (!head.equals(MAGIC.subarray(0, head.length))) {
    throw new NotARunFileError('this is not a SQLite file, so not an EvalBench run; it was left as it is', file);
  }
  if (buf.length < 100) throw new RunStoreError(`the run file is truncated (${buf.length} bytes, shorter than a SQLite header); it was left as it is`, file);
  const rawPageSize = buf.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) {
    throw new RunStoreError(`the run file is corrupt (page size ${rawPageSize} in its header); it was left as it is`, file);
  }
  if (buf.length % pageSize !== 0) {
    throw new RunStoreError(`the run file is truncated (${buf.length} bytes is not a whole number of ${pageSize}-byte pages); it was left as it is`, file);
  }
  // The header's page count is trustworthy only when "version-valid-for" matches the change counter.
  const pageCount = buf.readUInt32BE(28);
  if (pageCount > 0 && buf.readUInt32BE(92) === buf.readUInt32BE(24) && buf.length < pageCount * pageSize) {
    throw new RunStoreError(`the run file is truncated (${buf.length / pageSize} of ${pageCount} pages); it was left as it is`, file);
  }
}
