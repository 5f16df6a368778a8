/**
 * Zeller's delta debugging (ddmin), complement form: split the list into chunks and drop any chunk
 * whose removal keeps the failure; on no progress, split finer. Ends with a list from which no
 * single item can be dropped (1-minimal), after O(k · log n) tests for k needed items of n.
 * `keeps` may throw to stop early (a time limit); whatever it last accepted stands.
 */
export function ddmin<T>(items: readonly T[], keeps: (candidate: T[]) => boolean): T[] {
  let current = [...items];
  let chunks = 2;
  while (current.length > 0) {
    const size = Math.ceil(current.length / chunks);
    let reduced = false;
    for (let start = 0; start < current.length && !reduced; start += size) {
      const complement = [...current.slice(0, start), ...current.slice(start + size)];
      if (keeps(complement)) {
        current = complement;
        chunks = Math.max(chunks - 1, 2);
        reduced = true;
      }
    }
    if (reduced) continue;
    if (chunks >= current.length) break;
    chunks = Math.min(chunks * 2, current.length);
  }
  return current;
}
