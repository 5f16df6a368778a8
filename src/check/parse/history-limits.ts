/**
 * The largest history `faultline check` will read. A history is a file the user did not write by
 * hand (a Jepsen store, a log), so a damaged or hostile one must cost one line, not a stack
 * overflow or an out-of-memory crash.
 */
export const HISTORY_LIMITS = {
  /** Bigger than any history the checker can search in its budget; below V8's longest string. */
  fileBytes: 256 * 1024 * 1024,
  /**
   * Collections inside each other, counting the file's outer vector: a Jepsen transaction needs
   * about five; 100,000 overflows the stack of the EDN reader and of every recursive walk after it.
   */
  depth: 64,
} as const;

/**
 * How deep a parsed JSON value nests, or `Infinity` once it passes `limit` (iterative: the value
 * may be deeper than the stack).
 */
export function jsonDepthExceeds(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (typeof item !== 'object' || item === null) continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}
