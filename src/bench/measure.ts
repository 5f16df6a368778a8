/** Wall-clock measurement helpers for benchmarks only (never used by simulated code). */
export function nowMs(): number {
  return performance.now(); // wall clock ok: benchmarks measure real time
}

/** Runs `body` `repeats` times and returns the median duration in milliseconds. */
export function medianMs(repeats: number, body: () => void): number {
  return timesMs(repeats, body).median;
}

/** Runs `body` `repeats` times; the median and the fastest duration in milliseconds. */
export function timesMs(repeats: number, body: () => void): { median: number; fastest: number } {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = nowMs();
    body();
    times.push(nowMs() - start);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)] as number, fastest: times[0] as number };
}

export function formatRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M/s`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)} k/s`;
  return `${perSecond.toFixed(1)} /s`;
}

/** True when this module is the process's entry point (for `node dist/bench/x.js`). */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && moduleUrl === new URL(`file://${process.argv[1]}`).href;
}
