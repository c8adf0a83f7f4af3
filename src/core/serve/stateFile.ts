/**
 * The server's own state files (`<runsDir>/serve/benchmarks.json`, `jobs.json`). A missing file is a fresh
 * start; one that cannot be read or parsed (a hand edit, a cut write) stops the server instead of being
 * taken for empty: the next save would overwrite every registration or job it holds.
 */
import * as fs from 'node:fs';
import { ConfigError, errorMessage } from '../errors';

export function readStateFile(file: string, valid: (value: unknown) => boolean): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`cannot read ${file} (${errorMessage(error)}); the server did not start, and the file was left as it is`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON (${errorMessage(error)}); fix it or move it aside: the server did not start, and the file was left as it is`);
  }
  if (!valid(value)) throw new ConfigError(`${file} does not hold what the server wrote there; fix it or move it aside: the server did not start, and the file was left as it is`);
  return value;
}
