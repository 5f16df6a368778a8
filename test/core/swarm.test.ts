import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import type { TraceEvent } from '../../src/trace/trace-event.js';

const scenario = { ...loadScenarioFile('scenarios/pb-swarm.yaml'), duration: 6_000_000, liveness: undefined };

/** The most nodes that were crashed or paused at the same time, replayed from the trace. */
function mostNodesDown(trace: readonly TraceEvent[]): number {
  const down = new Set<number>();
  let most = 0;
  for (const event of trace) {
    if (event.kind === 'crash' || event.kind === 'pause') down.add(event.node);
    if (event.kind === 'restart' || event.kind === 'resume') down.delete(event.node);
    most = Math.max(most, down.size);
  }
  return most;
}

describe('swarm mode', () => {
  it('draws the fault mix from the seed, prints it, and is deterministic', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), (seed) => {
        const first = runScenario(scenario, { seed, keepTrace: true, skipLinearizability: true });
        const second = runScenario(scenario, { seed, skipLinearizability: true });
        expect(second.result.traceHash).toBe(first.result.traceHash);
        expect(first.result.drawn).toBeDefined();
        expect(Object.keys(first.result.drawn!)).toEqual(expect.arrayContaining(['latency', 'loss', 'duplicate', 'reorder', 'faults']));
        // Never more than a minority (f = 2 of 5) down at once.
        expect(mostNodesDown(first.trace!)).toBeLessThanOrEqual(2);
        expect(first.result.verdict.kind).toBe('pass');
      }),
      { numRuns: 12 },
    );
  });

  it('different seeds draw different worlds', () => {
    const mixes = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => JSON.stringify(runScenario(scenario, { seed, skipLinearizability: true }).result.drawn)));
    expect(mixes.size).toBeGreaterThanOrEqual(7);
  });
});
