/**
 * The one bounded-concurrency loop: `lanes` workers take units in order until the work is done, the
 * signal aborts, or a unit throws. The first error stops every lane from taking more work (`onError`
 * hears it at once, e.g. to abort requests in flight), all lanes are awaited, and it is rethrown, so
 * nothing still touches shared state when this returns.
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
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, work.length)) }, lane));
  if (failed) throw firstError;
}
