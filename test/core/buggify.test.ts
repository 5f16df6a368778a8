import { describe, expect, it } from 'vitest';
import type { ScheduledFault } from '../../src/faults/fault.js';
import { drawSwarm, type SwarmProtocol } from '../../src/faults/swarm.js';
import type { AnyOptionField, OptionsSpec } from '../../src/protocol/options.js';
import { findProtocol } from '../../src/protocols/registry.js';
import { rootStream } from '../../src/random/random-stream.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import { millis } from '../../src/sim/time.js';

// BUGGIFY in swarm mode (src/faults/buggify.ts): faults aimed at the moment right after a node
// announces a decision, drawn from their own stream.

const raftSwarm = loadScenarioFile('scenarios/raft-swarm.yaml');
const raft = findProtocol('raft')!;
const draw = (seed: number, protocol: SwarmProtocol = raft, scenario: Scenario = raftSwarm) => drawSwarm(scenario, rootStream(seed).fork('swarm'), protocol);
const aimed = (faults: readonly ScheduledFault[]) => faults.filter((fault) => fault.trigger !== undefined);
const seeds = Array.from({ length: 200 }, (_, i) => i + 1);

describe('BUGGIFY is drawn on its own stream', () => {
  it('a seed that leaves it off draws the faults, network and options it drew without it', () => {
    // A protocol with no message types can never turn BUGGIFY on: its draws are swarm mode's own.
    const withoutMessages: SwarmProtocol = { options: raft.options as OptionsSpec<unknown>, messages: {} };
    let off = 0;
    for (const seed of seeds.slice(0, 60)) {
      const drawn = draw(seed);
      const plain = draw(seed, withoutMessages);
      expect(plain.drawn.buggify).toBe('off');
      if (drawn.drawn.buggify === 'off') {
        off++;
        expect(drawn.scenario).toEqual(plain.scenario);
        continue;
      }
      // On: its faults come on top of the same timed mix, and without corner knobs the options too are the same.
      expect(drawn.scenario.faults.filter((fault) => fault.trigger === undefined)).toEqual(plain.scenario.faults);
      expect(drawn.scenario.network).toEqual(plain.scenario.network);
      if (!drawn.drawn.buggify!.includes('corner knobs')) expect(drawn.scenario.protocol.options).toEqual(plain.scenario.protocol.options);
    }
    expect(off).toBeGreaterThan(15);
    expect(off).toBeLessThan(45);
  });
});

describe('BUGGIFY aims at the moment right after a send', () => {
  it('crashes the sender of a declared message type for a few milliseconds, or cuts it off for a while, inside the safety phase', () => {
    const declared = new Set(Object.keys(raft.messages));
    let crashes = 0;
    let cutOffs = 0;
    for (const seed of seeds) {
      for (const fault of aimed(draw(seed).scenario.faults)) {
        expect(declared.has(fault.trigger!.messageType), fault.trigger!.messageType).toBe(true);
        expect(fault.at).toBe(0);
        expect(fault.until).toBe(raftSwarm.duration);
        expect(fault.trigger!.probabilityPpm).toBeGreaterThan(0);
        if (fault.fault.kind === 'crash') {
          crashes++;
          expect(fault.fault.target).toEqual({ kind: 'sender' });
          // Restarted before any election timeout (≥ 120 ms in the swarm range) can fire.
          expect(fault.duration).toBeGreaterThanOrEqual(millis(1));
          expect(fault.duration).toBeLessThanOrEqual(millis(30));
        } else {
          cutOffs++;
          expect(fault.fault).toEqual({ kind: 'partition', spec: { shape: 'isolate', target: { kind: 'sender' } } });
        }
      }
    }
    expect(crashes).toBeGreaterThan(100);
    expect(cutOffs).toBeGreaterThan(20);
  });

  it('every message type is a crash point on some seed', () => {
    const aimedAt = new Set(seeds.flatMap((seed) => aimed(draw(seed).scenario.faults).map((fault) => fault.trigger!.messageType)));
    expect([...aimedAt].sort()).toEqual(Object.keys(raft.messages).sort());
  });

  it('corner knobs push integer options to an end of their swarm range, and the draw stays valid', () => {
    const fields = Object.entries(raft.options.fields as Record<string, AnyOptionField>).flatMap(([name, field]) => (field.kind === 'integer' && field.swarm !== undefined ? [{ name, range: field.swarm }] : []));
    const share = { cornered: { atEnd: 0, all: 0 }, uniform: { atEnd: 0, all: 0 } };
    for (const seed of seeds) {
      const drawn = draw(seed);
      const options = drawn.scenario.protocol.options as Record<string, number>;
      expect(() => raft.options.parse(drawn.scenario.protocol.rawOptions)).not.toThrow();
      const part = (drawn.drawn.buggify ?? '').includes('corner knobs') ? share.cornered : share.uniform;
      for (const { name, range } of fields) {
        part.all++;
        if (options[name] === range[0] || options[name] === range[1]) part.atEnd++;
      }
    }
    // Half the fields of a cornered draw sit at an end; a uniform draw lands there by chance only.
    expect(share.cornered.all).toBeGreaterThan(100);
    expect(share.cornered.atEnd / share.cornered.all).toBeGreaterThan(0.35);
    expect(share.uniform.atEnd / share.uniform.all).toBeLessThan(0.1);
  });
});

describe('seeds on which the generic swarm found bugs it could not find before BUGGIFY', () => {
  // `faultline zoo run` found each of these on the seed named; before BUGGIFY the swarm found
  // neither Raft bug in 250-370 seeds, nor the 2PC one in 38. The same seeds pass without the bug.
  const cases = [
    { scenario: 'scenarios/raft-swarm.yaml', option: 'unsafeSkipPersistVote', seed: 264, caught: /Election Safety violated .* both leaders of term/ },
    { scenario: 'scenarios/raft-swarm.yaml', option: 'unsafeCommitPreviousTermEntries', seed: 421, caught: /Leader Completeness violated .* lacks committed entry/ },
    { scenario: 'scenarios/2pc-swarm.yaml', option: 'unsafeCommitBeforeLog', seed: 6, caught: /atomicity violated .* committed by n\d and aborted by n\d/ },
  ];
  for (const { scenario: file, option, seed, caught } of cases) {
    it(`${file} seed ${seed} with ${option}: caught; without it: passes`, () => {
      const scenario = loadScenarioFile(file);
      const protocol = findProtocol(scenario.protocol.name)!;
      const rawOptions = { ...(scenario.protocol.rawOptions as Record<string, unknown>), [option]: true };
      const planted = { ...scenario, protocol: { ...scenario.protocol, rawOptions, options: protocol.options.parse(rawOptions) } };
      const buggy = runScenario(planted, { seed }).result;
      expect(buggy.drawn?.buggify).not.toBe('off');
      expect(buggy.verdict.kind).toBe('invariant');
      expect(buggy.verdict.detail).toMatch(caught);
      expect(runScenario(scenario, { seed }).result.verdict.kind).toBe('pass');
    });
  }
});
