import { describe, expect, it } from 'vitest';
import type { ClusterView } from '../../src/invariants/observer.js';
import { formatMeasure } from '../../src/invariants/meter.js';
import { freshHistory, noteHeartbeat, phi, suspects } from '../../src/protocols/failover/detector.js';
import { failoverObservers } from '../../src/protocols/failover/invariants.js';
import { FAILOVER_OPTIONS } from '../../src/protocols/failover/options.js';
import type { FailoverState } from '../../src/protocols/failover/state.js';
import { createKvStore } from '../../src/protocols/kv/index.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenarioFile, parseScenario } from '../../src/scenario/load.js';
import { poolMeasures } from '../../src/sweep/summary.js';
import { InputError } from '../../src/util/errors.js';

const seeds = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
const ms = (value: number) => value * 1000;

describe('failover keeps one writer per epoch and every acknowledged write', () => {
  it.each([
    ['scenarios/failover-crash-restart-storm.yaml', 'manager-recovered'],
    ['scenarios/failover-partitions.yaml', 'stepped-down'],
    ['scenarios/failover-pauses.yaml', 'fenced-off'],
  ])('%s passes seeds 4..9 with failovers happening (scenarios.test.ts runs 1..3)', (file, mark) => {
    const scenario = loadScenarioFile(file);
    for (const seed of seeds(4, 6)) {
      const { result } = runScenario(scenario, { seed });
      expect(`seed ${seed}: ${result.verdict.kind} ${result.verdict.detail}`).toBe(`seed ${seed}: pass `);
      expect(result.operations.ok, `seed ${seed}`).toBeGreaterThan(300);
      expect(result.marks.failover, `seed ${seed}`).toBeGreaterThan(2);
      expect(result.marks[mark], `seed ${seed} ${mark}`).toBeGreaterThan(0);
    }
  });

  it('the planted bug (no fencing) is caught by no-split-brain on every one of 20 seeds; 200 are in docs/failover.md', () => {
    const scenario = loadScenarioFile('scenarios/failover-no-fencing-unsafe.yaml');
    const caught = seeds(1, 20).filter((seed) => runScenario(scenario, { seed }).result.verdict.detail.includes('invariant no-split-brain violated'));
    expect(caught.length).toBe(20);
  });
});

describe('the run measures detection time, false suspicions and unavailability', () => {
  it('a crashed primary is detected and replaced; every detection is followed by a failover window', () => {
    const { result } = runScenario(loadScenarioFile('scenarios/failover-crash-restart-storm.yaml'), { seed: 1 });
    const measures = result.measures!;
    expect(Object.keys(measures)).toEqual(['detection-ms', 'false-suspicions-per-hour', 'unavailability-ms']);
    const detection = measures['detection-ms']!;
    expect(detection.unit).toBe('ms');
    expect(detection.samples.length).toBeGreaterThan(3);
    // Heartbeats every 10ms: nothing is detected faster than one missed heartbeat.
    expect(detection.samples[0]).toBeGreaterThanOrEqual(10);
    expect([...detection.samples].sort((a, b) => a - b)).toEqual(detection.samples);
    expect(measures['unavailability-ms']!.samples.length).toBeGreaterThan(3);
  });

  it('without faults nothing is suspected; pauses are counted as false suspicions (the primary had not crashed)', () => {
    const healthy = runScenario(loadScenarioFile('scenarios/failover-healthy.yaml'), { seed: 1 }).result.measures!;
    expect(healthy['false-suspicions-per-hour']!.samples).toEqual([0]);
    expect(healthy['detection-ms']!.samples).toEqual([]);
    const paused = runScenario(loadScenarioFile('scenarios/failover-pauses.yaml'), { seed: 1 }).result.measures!;
    expect(paused['false-suspicions-per-hour']!.samples[0]).toBeGreaterThan(0);
    expect(paused['detection-ms']!.samples.length).toBeGreaterThan(0);
  });

  it('a sweep pools the samples of its seeds, ascending, and prints a distribution', () => {
    const pool = {};
    poolMeasures(pool, { 'detection-ms': { unit: 'ms', samples: [30, 50] } });
    poolMeasures(pool, { 'detection-ms': { unit: 'ms', samples: [10, 40] } });
    expect(pool).toEqual({ 'detection-ms': { unit: 'ms', samples: [10, 30, 40, 50] } });
    expect(formatMeasure('detection-ms', { unit: 'ms', samples: [10, 30, 40, 50] })).toBe('detection-ms: n=4 min 10 median 40 p90 50 max 50 mean 32.5 ms');
    expect(formatMeasure('x', { unit: 'count', samples: [] })).toBe('x: no samples');
  });
});

describe('the failure detectors', () => {
  const options = FAILOVER_OPTIONS.defaults();

  it('phi grows with the silence since the last heartbeat and crosses the threshold after a few missed beats', () => {
    const history = freshHistory(0, options);
    for (let t = 10; t <= 500; t += 10) noteHeartbeat(history, ms(t), options);
    const at = (silence: number) => phi(history, ms(500 + silence), options);
    expect(at(5)).toBeLessThan(1);
    expect(at(10)).toBeLessThan(at(20));
    expect(at(20)).toBeLessThan(at(40));
    expect(suspects(history, ms(515), options)).toBe(false);
    expect(suspects(history, ms(560), options)).toBe(true);
  });

  it('phi adapts: a jittery history waits longer before suspecting than a steady one', () => {
    const steady = freshHistory(0, options);
    const jittery = freshHistory(0, options);
    let t = 0;
    for (let i = 0; i < 60; i++) {
      t += i % 2 === 0 ? 2 : 38; // mean 20ms, standard deviation 18ms
      noteHeartbeat(jittery, ms(t), options);
    }
    for (let s = 20; s <= t; s += 20) noteHeartbeat(steady, ms(s), options);
    expect(phi(jittery, ms(t + 50), options)).toBeLessThan(phi(steady, ms(t + 50), options));
  });

  it('the fixed detector suspects exactly after timeoutMs of silence; a clock stepping back records nothing', () => {
    const fixed = { ...options, detector: 'fixed' as const };
    const history = freshHistory(ms(100), fixed);
    expect(suspects(history, ms(150), fixed)).toBe(false);
    expect(suspects(history, ms(151), fixed)).toBe(true);
    noteHeartbeat(history, ms(90), fixed);
    expect(history.intervals).toHaveLength(2);
  });
});

describe('the failover observers', () => {
  const options = FAILOVER_OPTIONS.defaults();
  const storage = (writes: number, lastWrite: { epoch: number; from: number }, epoch: number): FailoverState => ({
    options,
    id: 0,
    role: 'storage',
    storage: { store: createKvStore(), epoch, epochHolder: lastWrite.from, writes, lastWrite },
    manager: null,
    server: null,
  });
  const primary = (id: number, epoch: number, fenced: boolean, highestAcked = 0): FailoverState => ({
    options,
    id,
    role: 'primary',
    storage: null,
    manager: null,
    server: { epoch, primary: id, fenced, fenceSentAt: null, pending: new Map(), nextOpId: 1, highestAcked },
  });
  const view = (states: Record<number, FailoverState | undefined>): ClusterView<FailoverState> => ({ now: 0, nodes: [0, 1, 2, 3], state: (node) => states[node] });

  it('no-split-brain: a write of epoch 1 accepted after the epoch-2 primary was told its fence is durable', () => {
    const [noSplitBrain] = failoverObservers();
    const cluster: Record<number, FailoverState | undefined> = { 0: storage(5, { epoch: 1, from: 2 }, 1) };
    expect(noSplitBrain!.afterStep!(view(cluster), 0)).toBeUndefined();
    cluster[3] = primary(3, 2, true);
    expect(noSplitBrain!.afterStep!(view(cluster), 3)).toBeUndefined();
    cluster[0]!.storage!.writes = 6; // the same storage (no restart) accepted one more write of epoch 1
    expect(noSplitBrain!.afterStep!(view(cluster), 0)).toBe('n0 accepted write 6 from n2 of epoch 1 after epoch 2 had begun there: the deposed primary wrote after the new one took over');
  });

  it('no-split-brain: two nodes writing in one epoch', () => {
    const [noSplitBrain] = failoverObservers();
    const state = storage(1, { epoch: 1, from: 2 }, 1);
    expect(noSplitBrain!.afterStep!(view({ 0: state }), 0)).toBeUndefined();
    state.storage!.writes = 2;
    expect(noSplitBrain!.afterStep!(view({ 0: state }), 0)).toBeUndefined();
    state.storage!.writes = 3;
    state.storage!.lastWrite = { epoch: 1, from: 3 };
    expect(noSplitBrain!.afterStep!(view({ 0: state }), 0)).toBe('n0 accepted writes of epoch 1 from two primaries, n2 and n3');
  });

  it('acknowledged-writes-durable: the storage came back with fewer writes than a primary acknowledged', () => {
    const [, durable] = failoverObservers();
    const cluster: Record<number, FailoverState | undefined> = { 0: undefined, 2: primary(2, 1, true, 7) };
    expect(durable!.afterStep!(view(cluster), 2)).toBeUndefined();
    cluster[0] = storage(6, { epoch: 1, from: 2 }, 1);
    expect(durable!.afterStep!(view(cluster), 0)).toBe('n0 holds 6 writes, but write 7 was acknowledged to a client');
  });
});

describe('failover options and roles are checked at load', () => {
  it('an unknown option, a bad detector and a timeout below the heartbeat exit 2 naming the field', () => {
    const refusal = (options: string) => {
      try {
        parseScenario(`nodes: 5\nprotocol: { name: failover, options: ${options} }\nduration: 1s`, 'f.yaml');
      } catch (error) {
        if (error instanceof InputError) return error.describe();
        throw error;
      }
      throw new Error('expected the scenario to be refused');
    };
    expect(refusal('{ detecter: fixed }')).toMatch(/protocol\.options\.detecter: unknown failover option "detecter"; did you mean detector\?/);
    expect(refusal('{ detector: gossip }')).toMatch(/protocol\.options\.detector: expected one of fixed, phi, got "gossip"/);
    expect(refusal('{ heartbeatMs: 50, timeoutMs: 40 }')).toMatch(/protocol\.options\.timeoutMs: expected more than heartbeatMs \(50\)/);
  });
});
