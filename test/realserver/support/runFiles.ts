/** Datasets in, run files out: the small helpers the real-server tests share. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunStore } from '../../../src/core/storage/runStore';
import type { RunRecord, SampleRecord } from '../../../src/core/storage/types';

/** About 430 tokens: longer than any context these tests give a slot. */
export const LONG_PROMPT = `Repeat after me: ${'word '.repeat(400)}`;

export function writeDataset(dir: string, items: { id: string; prompt: string; expected: string }[]): string {
  const file = path.join(dir, 'set.jsonl');
  fs.writeFileSync(file, items.map((item) => JSON.stringify(item)).join('\n'));
  return file;
}

export async function readRun(out: string, runId: string): Promise<{ record: RunRecord; samples: SampleRecord[] }> {
  const reader = await new RunStore(out).openReader(runId);
  try {
    return { record: reader.run(), samples: reader.samples() };
  } finally {
    reader.close();
  }
}
