/**
 * The one bounded-concurrency loop: `lanes` workers take units in order until the work is done, the
 * signal aborts, or a unit throws. The first error stops every lane from taking more work (`onError`
 * hears it at once, e.g. to abort requests in flight), all lanes are awaited, and it is rethrown, so
 * nothing still touches shared state when this returns.
 *
 * Lanes start one per event-loop turn, not all at once: 64 requests built and sent in one turn held the
 * loop for tens of ms on a loaded machine (bench/runCost.mjs), and replies to requests sent together come
 * back together, so every later turn handled a burst of them as well. The ramp-up costs a turn per lane.
 */
export async function forEachInLanes<T>(
  work: readonly T[],
  lanes: number,
  runOne: (unit: T, index: number) => Promise<void>,
  options: { signal?: AbortSignal; onError?: (error: unknown) => void } = {},
): Promise<void> {
  let next = 0;
  let failed = false;
  let firstError: unknown;
  const lane = async () => {
    while (!failed && !options.signal?.aborted && next < work.length) {
      const index = next++;
      try {
        await runOne(work[index], index);
      } catch (error) {
        if (!failed) {
          failed = true;
          firstError = error;
          options.onError?.(error);
        }
      }
    }
  };
  const running: Promise<void>[] = [];
  const count = Math.max(1, Math.min(lanes, work.length));
  for (let started = 0; started < count; started++) {
    if (started > 0) await nextTurn();
    if (failed || options.signal?.aborted || next >= work.length) break;
    running.push(lane());
  }
  await Promise.all(running);
  if (failed) throw firstError;
}

/** Resolves on the next event-loop turn: an immediate queued from inside an immediate waits for the next turn. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
