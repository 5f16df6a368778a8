/** Levenshtein distance, small inputs only (names in a scenario, not documents). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The closest of `candidates` within edit distance 2, if there is exactly one closest. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  let tie = false;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
      tie = false;
    } else if (distance === bestDistance) {
      tie = true;
    }
  }
  return tie ? undefined : best;
}

/** `expected one of a, b, c` with a `did you mean b?` in front when one name is close. */
export function expectedOneOf(name: string, candidates: readonly string[]): string {
  const close = closestName(name, candidates);
  const list = `expected one of ${candidates.join(', ')}`;
  return close === undefined ? list : `did you mean ${close}? ${list}`;
}
