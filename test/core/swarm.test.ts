import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawSwarm } from '../../src/faults/swarm.js';
import { type AnyOptionField, noOptions, type OptionsSpec } from '../../src/protocol/options.js';
import { RAFT_OPTIONS } from '../../src/protocols/raft/options.js';
import { findProtocol } from '../../src/protocols/registry.js';
import { rootStream } from '../../src/random/random-stream.js';
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

describe('swarm mode draws protocol options', () => {
  const raft = loadScenarioFile('scenarios/raft-swarm.yaml');
  const optionsOf = (seed: number, scenario = raft) => drawSwarm(scenario, rootStream(seed).fork('swarm'), findProtocol(scenario.protocol.name)!).scenario.protocol.options as Record<string, unknown>;

  it('within the swarm ranges the protocol declares, never a planted bug, and each draw is valid', () => {
    const fields = RAFT_OPTIONS.fields as Record<string, AnyOptionField>;
    const thresholds = new Set<unknown>();
    for (let seed = 1; seed <= 60; seed++) {
      const options = optionsOf(seed);
      expect(() => RAFT_OPTIONS.parse(options)).not.toThrow();
      for (const [name, field] of Object.entries(fields)) {
        if (field.kind === 'integer' && field.swarm !== undefined) {
          expect(options[name]).toBeGreaterThanOrEqual(field.swarm[0]);
          expect(options[name]).toBeLessThanOrEqual(field.swarm[1]);
        }
        if (field.plantedBug === true) expect(options[name], name).toBe(false);
      }
      expect(options.readMode).toBe('read-index'); // choices are not drawn: lease reads are unsafe under clock faults
      thresholds.add(options.snapshotThreshold);
    }
    expect(thresholds.size).toBeGreaterThan(40);
  });

  it('keeps the options a scenario sets, and the fault mix does not depend on the option draw', () => {
    const fixed = { ...raft, protocol: { ...raft.protocol, options: RAFT_OPTIONS.parse({ snapshotThreshold: 7 }), rawOptions: { snapshotThreshold: 7 } } };
    for (const seed of [1, 2, 3]) {
      expect(optionsOf(seed, fixed).snapshotThreshold).toBe(7);
      expect(optionsOf(seed, fixed).maxEntriesPerMessage).toBe(optionsOf(seed).maxEntriesPerMessage);
      const messages = findProtocol('raft')!.messages;
      const withOptions = drawSwarm(raft, rootStream(seed).fork('swarm'), { options: RAFT_OPTIONS as OptionsSpec<unknown>, messages }).scenario;
      const without = drawSwarm(raft, rootStream(seed).fork('swarm'), { options: noOptions('raft') as OptionsSpec<unknown>, messages }).scenario;
      expect(withOptions.faults).toEqual(without.faults);
      expect(withOptions.network).toEqual(without.network);
    }
  });
});
