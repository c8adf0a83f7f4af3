/**
 * Which sample a run panel snapshot shows for each row. The file is the truth: a sample rescored or re-run
 * on disk by someone else (`evalbench score --run`, `evalbench run --rerun-failed` from a terminal) must
 * replace what the panel read earlier, so an earlier snapshot's samples are never laid over the file.
 * Over the file come only samples the file cannot hold yet: the live run's (finished in this host, maybe not
 * yet checkpointed), then those that arrived while the file was being read. No vscode here: unit-tested.
 */
import type { SampleRecord } from '../../core/storage/types';
import { rowKey } from './runViewModel';

/** Samples by row key: the file's, overlaid by `live`'s, overlaid by `arrivedDuringRead`'s (later wins). */
export function snapshotSamples(
  fromFile: Iterable<SampleRecord>,
  live: Iterable<SampleRecord>,
  arrivedDuringRead: Iterable<SampleRecord>,
): Map<string, SampleRecord> {
  const merged = new Map<string, SampleRecord>();
  for (const source of [fromFile, live, arrivedDuringRead]) {
    for (const s of source) merged.set(rowKey(s.itemId, s.sampleIndex), s);
  }
  return merged;
}
