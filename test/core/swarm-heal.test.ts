import { describe, expect, it } from 'vitest';
import type { FaultEvent } from '../../src/faults/nemesis.js';
import { drawSwarm } from '../../src/faults/swarm.js';
import { findProtocol } from '../../src/protocols/registry.js';
import { rootStream } from '../../src/random/random-stream.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import { World } from '../../src/sim/world.js';
import type { AnyProtocol } from '../../src/protocol/protocol.js';
import { recorderProtocol } from '../fixtures/protocols/recorder.js';

// Issue 21: on these seeds of the unmodified raft-swarm.yaml, the old nemesis left 36–50% of
// messages lost after the heal (the swarm's baseline loss is at most 5%): overlapping network
// faults restored each other's settings, and fault ends at the heal's instant re-applied them.
const REPORTED_SEEDS = [178, 241, 641, 1423];

const swarm = loadScenarioFile('scenarios/raft-swarm.yaml');

interface AfterHeal {
  /** Fault ends that ran after the heal. */
  ends: number;
  /** Links whose settings differed from the drawn baseline after the heal or any later end. */
  mismatches: string[];
}

/**
 * Runs one seed of the swarm scenario and compares every link with the drawn baseline right after
 * the heal and after each fault end that follows it.
 */
function linksAfterHeal(scenario: Scenario, seed: number, protocol: AnyProtocol): AfterHeal {
  const drawn = drawSwarm(scenario, rootStream(seed).fork('swarm')).scenario;
  const world = new World(drawn, protocol, { seed, keepTrace: false });
  const baseline = drawn.network.defaults;
  const result: AfterHeal = { ends: 0, mismatches: [] };
  let healed = false;
  const compare = () => {
    for (let from = 0; from < drawn.nodes; from++) {
      for (let to = 0; to < drawn.nodes; to++) {
        if (from !== to && JSON.stringify(world.network.link(from, to)) !== JSON.stringify(baseline)) result.mismatches.push(`seed ${seed} n${from}->n${to} at ${world.now}us`);
      }
    }
  };
  const fire = world.nemesis.fire.bind(world.nemesis);
  world.nemesis.fire = (event: FaultEvent) => {
    fire(event);
    if (!healed || event.phase !== 'end') return;
    result.ends++;
    compare();
  };
  const healAll = world.nemesis.healAll.bind(world.nemesis);
  world.nemesis.healAll = (core) => {
    const description = healAll(core);
    healed = true;
    compare();
    return description;
  };
  world.run();
  expect(healed, `seed ${seed} reached the heal`).toBe(true);
  compare();
  return result;
}

describe('after the swarm heal, every link is back to the drawn baseline', () => {
  it('on the seeds of issue 21, which also pass, safety and liveness', () => {
    let ends = 0;
    for (const seed of REPORTED_SEEDS) {
      const after = linksAfterHeal(swarm, seed, findProtocol('raft')!);
      expect(after.mismatches).toEqual([]);
      ends += after.ends;
      expect(runScenario(swarm, { seed }).result.verdict.kind, `seed ${seed}`).toBe('pass');
    }
    // Fault ends did come after the heal: the moments the old nemesis brought settings back.
    expect(ends).toBeGreaterThan(4);
  });

  // 500 full Raft runs take about 10 s on this machine (node /tmp script, see the commit); here the
  // same 500 drawn fault schedules run against the recorder protocol, which sends nothing: the
  // nemesis is the same, only `leader` targets resolve to no node.
  it('on the fault schedules of 500 seeds, run against a protocol that sends nothing', () => {
    // One client, rarely asking: the draw depends only on the seed and the safety phase's length.
    const cheap: Scenario = { ...swarm, workload: { ...swarm.workload, clients: 1, thinkTime: 1_000_000 }, check: { ...swarm.check, invariants: false } };
    let ends = 0;
    const mismatches: string[] = [];
    for (let seed = 1; seed <= 500; seed++) {
      const after = linksAfterHeal(cheap, seed, recorderProtocol as unknown as AnyProtocol);
      ends += after.ends;
      mismatches.push(...after.mismatches);
    }
    expect(mismatches).toEqual([]);
    expect(ends).toBeGreaterThan(100);
  });
});
