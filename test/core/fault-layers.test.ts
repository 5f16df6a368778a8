import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fault, LinkChange, LinkSelector, ScheduledFault } from '../../src/faults/fault.js';
import type { FaultEvent } from '../../src/faults/nemesis.js';
import type { LinkSettings } from '../../src/network/link.js';
import { cutLinks, type PartitionShape } from '../../src/network/partition.js';
import { findProtocol } from '../../src/protocols/registry.js';
import { parseScenario } from '../../src/scenario/load.js';
import { millis, type Micros } from '../../src/sim/time.js';
import { World } from '../../src/sim/world.js';

// The nemesis's faults compose as layers: at every instant a link's settings are the scenario's
// baseline with the changes of the network faults active then applied in the order they started;
// a node's clock is stepped by the sum of its active clock faults' offsets and runs at the drift of
// the last one started; a link is cut exactly when an active partition cuts it. After the liveness
// heal, everything is the baseline and stays so, whatever fault ends come afterwards. The oracle
// below knows nothing of how the nemesis does it: it folds the faults active now, from scratch.

const NODES = 5;
const SAFETY_MS = 2_000;
/** Fault times fall on a 50 ms grid, so starts, ends and the heal often coincide. */
const GRID_MS = 50;

const node = fc.nat(NODES - 1);
const gridTime = (max: number) => fc.nat(max / GRID_MS).map((step) => millis(step * GRID_MS));

const linkSelector: fc.Arbitrary<LinkSelector> = fc.oneof(
  fc.constant<LinkSelector>({ kind: 'all' }),
  node.map<LinkSelector>((n) => ({ kind: 'node', target: { kind: 'node', node: n } })),
  fc.tuple(node, fc.nat(NODES - 2)).map<LinkSelector>(([from, other]) => ({ kind: 'link', from, to: other >= from ? other + 1 : other })),
);

const linkChange: fc.Arbitrary<LinkChange> = fc
  .record(
    {
      latency: fc.integer({ min: 1, max: 30 }).map((ms) => ({ kind: 'constant' as const, value: millis(ms) })),
      lossPpm: fc.constantFrom(0, 100_000, 400_000),
      duplicatePpm: fc.constantFrom(0, 50_000, 300_000),
      reorderPpm: fc.constantFrom(0, 200_000),
      reorderDelay: fc.integer({ min: 5, max: 60 }).map(millis),
      extraDelay: fc.integer({ min: 0, max: 100 }).map(millis),
    },
    { requiredKeys: [] },
  )
  .filter((change) => Object.keys(change).length > 0);

const partition: fc.Arbitrary<PartitionShape> = fc.oneof(
  node.map<PartitionShape>((n) => ({ shape: 'isolate', node: n })),
  fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 1, maxLength: 2 }).map<PartitionShape>((minority) => ({ shape: 'split', minority: minority.sort() })),
  fc.tuple(node, node).map<PartitionShape>(([from, to]) => ({ shape: 'one-way', from: [from], to: [to] })),
);

const fault: fc.Arbitrary<Fault> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ links: linkSelector, change: linkChange }).map<Fault>((f) => ({ kind: 'network', ...f })) },
  {
    weight: 3,
    arbitrary: fc
      .record({ node, offset: fc.integer({ min: -300, max: 300 }).map(millis), driftPpm: fc.integer({ min: -200_000, max: 200_000 }) })
      .map<Fault>((f) => ({ kind: 'clock', target: { kind: 'node', node: f.node }, offset: f.offset, driftPpm: f.driftPpm })),
  },
  {
    weight: 2,
    arbitrary: partition.map<Fault>((shape) => {
      switch (shape.shape) {
        case 'isolate':
          return { kind: 'partition', spec: { shape: 'isolate', target: { kind: 'node', node: shape.node } } };
        case 'split':
          return { kind: 'partition', spec: { shape: 'split', minority: { kind: 'nodes', nodes: shape.minority } } };
        default:
          return { kind: 'partition', spec: { shape: 'one-way', from: { kind: 'node', node: (shape as { from: number[] }).from[0]! }, to: { kind: 'node', node: (shape as { to: number[] }).to[0]! } } };
      }
    }),
  },
  { weight: 1, arbitrary: fc.constant<Fault>({ kind: 'heal' }) },
  { weight: 1, arbitrary: fc.record({ node, tornWrite: fc.boolean() }).map<Fault>((f) => ({ kind: 'crash', target: { kind: 'node', node: f.node }, tornWrite: f.tornWrite })) },
  { weight: 1, arbitrary: node.map<Fault>((n) => ({ kind: 'pause', target: { kind: 'node', node: n } })) },
  { weight: 1, arbitrary: node.map<Fault>((n) => ({ kind: 'restart', target: { kind: 'node', node: n } })) },
  { weight: 1, arbitrary: node.map<Fault>((n) => ({ kind: 'resume', target: { kind: 'node', node: n } })) },
);

/** Faults start up to and including the heal's instant; some end after it, some never. */
const schedule: fc.Arbitrary<ScheduledFault[]> = fc.array(
  fc.record({ at: gridTime(SAFETY_MS), duration: fc.option(gridTime(1_500).map((d) => Math.max(d, 1)), { nil: undefined, freq: 5 }), fault }).map((f) => {
    const entry: ScheduledFault = { at: f.at, fault: f.fault };
    if (f.duration !== undefined) entry.duration = f.duration;
    return entry;
  }),
  { minLength: 1, maxLength: 14 },
);

const baselineArbitrary = fc.record({ lossPpm: fc.constantFrom(0, 10_000), duplicatePpm: fc.constantFrom(0, 10_000), extraDelay: fc.constantFrom(0, millis(3)) });

function scenarioWith(faults: ScheduledFault[], baseline: Partial<LinkSettings>) {
  const scenario = parseScenario(
    ['nodes: 5', 'protocol: { name: raft }', 'workload: { kind: register, clients: 1, thinkTime: 800ms }', 'duration: 2s', 'liveness: { bound: 1500ms }', 'check: { invariants: false }'].join('\n'),
  );
  return { ...scenario, faults, network: { ...scenario.network, defaults: { ...scenario.network.defaults, ...baseline } } };
}

/** What the oracle knows of one fault occurrence in force. */
interface Active {
  entry: number;
  fault: Fault;
}

function linksOf(selector: LinkSelector): number[] {
  const links: number[] = [];
  for (let from = 0; from < NODES; from++) {
    for (let to = 0; to < NODES; to++) {
      if (from === to) continue;
      const hit = selector.kind === 'all' || (selector.kind === 'link' && selector.from === from && selector.to === to) || (selector.kind === 'node' && selector.target.kind === 'node' && (selector.target.node === from || selector.target.node === to));
      if (hit) links.push(from * NODES + to);
    }
  }
  return links;
}

function shapeOf(fault: Extract<Fault, { kind: 'partition' }>): PartitionShape {
  const spec = fault.spec;
  const id = (target: { kind: string; node?: number }) => target.node as number;
  switch (spec.shape) {
    case 'isolate':
      return { shape: 'isolate', node: id(spec.target) };
    case 'split':
      return { shape: 'split', minority: (spec.minority as { nodes: number[] }).nodes };
    case 'one-way':
      return { shape: 'one-way', from: [id(spec.from)], to: [id(spec.to)] };
    default:
      throw new Error(`the generator makes no ${spec.shape}`);
  }
}

/** The oracle's clock: rebased at every clock change of its node, like any clock. */
interface OracleClock {
  baseGlobal: Micros;
  baseLocal: Micros;
  drift: number;
}

const localOf = (clock: OracleClock, now: Micros) => clock.baseLocal + (now - clock.baseGlobal) + Math.floor(((now - clock.baseGlobal) * clock.drift) / 1_000_000);

/**
 * Runs the schedule and, after every fault event and after the heal, compares the world with the
 * oracle. Returns how many comparisons it made, and how many fault ends came after the heal (the
 * client thinks for 800 ms, so the liveness phase lasts long enough for some to fire).
 */
function checkRun(faults: ScheduledFault[], baselineChange: Partial<LinkSettings>, seed: number): { checks: number; endsAfterHeal: number } {
  const scenario = scenarioWith(faults, baselineChange);
  const world = new World(scenario, findProtocol('raft')!, { seed, keepTrace: false });
  const baseline = scenario.network.defaults;
  const nemesis = world.nemesis;
  let active: Active[] = [];
  const clocks: OracleClock[] = Array.from({ length: NODES }, () => ({ baseGlobal: 0, baseLocal: 0, drift: 0 }));
  let healed = false;
  let checks = 0;
  let endsAfterHeal = 0;

  const rebase = (clock: OracleClock, step: Micros, drift: number) => {
    clock.baseLocal = localOf(clock, world.now) + step;
    clock.baseGlobal = world.now;
    clock.drift = drift;
  };
  const clockFaultsOn = (n: number) => active.filter((a) => a.fault.kind === 'clock' && (a.fault.target as { node: number }).node === n);

  const compare = () => {
    checks++;
    for (let link = 0; link < NODES * NODES; link++) {
      const from = Math.floor(link / NODES);
      const to = link % NODES;
      if (from === to) continue;
      const expected: LinkSettings = { ...baseline };
      for (const a of active) if (a.fault.kind === 'network' && linksOf(a.fault.links).includes(link)) Object.assign(expected, a.fault.change);
      expect(world.network.link(from, to), `link n${from}->n${to} at ${world.now}us`).toEqual(expected);
      const cut = active.some((a) => a.fault.kind === 'partition' && cutLinks(shapeOf(a.fault), NODES)[link] === 1);
      expect(world.network.isCut(from, to), `cut n${from}->n${to} at ${world.now}us`).toBe(cut);
    }
    for (let n = 0; n < NODES; n++) {
      const clock = world.hosts[n]!.clock;
      expect(clock.drift, `drift of n${n} at ${world.now}us`).toBe(clocks[n]!.drift);
      expect(clock.local(world.now), `local clock of n${n} at ${world.now}us`).toBe(localOf(clocks[n]!, world.now));
      if (healed) expect(world.hosts[n]!.status, `n${n} after the heal`).toBe('up');
    }
    if (healed) expect(nemesis.links.activeCount).toBe(0);
  };

  const fire = nemesis.fire.bind(nemesis);
  nemesis.fire = (event: FaultEvent) => {
    const entry = faults[event.entry]!;
    const startsNow = event.phase === 'start' && !healed;
    fire(event);
    if (startsNow) {
      if (entry.fault.kind === 'heal') active = active.filter((a) => a.fault.kind !== 'partition');
      if (entry.fault.kind === 'clock') rebase(clocks[(entry.fault.target as { node: number }).node]!, entry.fault.offset, entry.fault.driftPpm);
      if (entry.fault.kind === 'network' || entry.fault.kind === 'clock' || entry.fault.kind === 'partition') active.push({ entry: event.entry, fault: entry.fault });
    }
    if (event.phase === 'end' && healed) endsAfterHeal++;
    if (event.phase === 'end' && !healed) {
      const ending = active.find((a) => a.entry === event.entry);
      active = active.filter((a) => a !== ending);
      if (ending?.fault.kind === 'clock') {
        const n = (ending.fault.target as { node: number }).node;
        const latest = clockFaultsOn(n).at(-1)?.fault as { driftPpm: number } | undefined;
        rebase(clocks[n]!, -ending.fault.offset, latest?.driftPpm ?? 0);
      }
    }
    compare();
  };
  const healAll = nemesis.healAll.bind(nemesis);
  nemesis.healAll = (core) => {
    const description = healAll(core);
    for (let n = 0; n < NODES; n++) {
      const offsets = clockFaultsOn(n).reduce((sum, a) => sum + (a.fault as { offset: number }).offset, 0);
      if (clockFaultsOn(n).length > 0) rebase(clocks[n]!, -offsets, 0);
    }
    active = [];
    healed = true;
    compare();
    return description;
  };
  world.run();
  compare();
  return { checks, endsAfterHeal };
}

describe('faults compose as layers over the baseline', () => {
  it('at every fault event, links, cuts and clocks equal the baseline with the faults active then; after the heal, the baseline exactly', () => {
    let endsAfterHeal = 0;
    fc.assert(
      fc.property(schedule, baselineArbitrary, fc.nat(1_000), (faults, baseline, seed) => {
        endsAfterHeal += checkRun(faults, baseline, seed).endsAfterHeal;
      }),
      { numRuns: 60 },
    );
    // The schedules did put fault ends at and after the heal, where the old nemesis restored settings.
    expect(endsAfterHeal).toBeGreaterThan(20);
  });

  it('two loss faults that overlap without nesting leave no loss behind (issue 21)', () => {
    const loss = (at: number, lossPpm: number, duration: number): ScheduledFault => ({ at: millis(at), duration: millis(duration), fault: { kind: 'network', links: { kind: 'all' }, change: { lossPpm } } });
    const { checks } = checkRun([loss(100, 300_000, 400), loss(300, 500_000, 400)], {}, 1);
    expect(checks).toBeGreaterThanOrEqual(5);
  });

  it('a fault ending at the heal, or after it, brings nothing back', () => {
    const faults: ScheduledFault[] = [
      { at: millis(1_500), duration: millis(500), fault: { kind: 'network', links: { kind: 'all' }, change: { lossPpm: 500_000 } } },
      { at: millis(1_800), duration: millis(200) + 1, fault: { kind: 'network', links: { kind: 'node', target: { kind: 'node', node: 2 } }, change: { extraDelay: millis(80) } } },
      { at: millis(1_700), duration: millis(300), fault: { kind: 'clock', target: { kind: 'node', node: 1 }, offset: millis(-200), driftPpm: 100_000 } },
      { at: millis(1_900), duration: millis(100) + 2, fault: { kind: 'crash', target: { kind: 'node', node: 3 }, tornWrite: false } },
    ];
    const { endsAfterHeal } = checkRun(faults, { lossPpm: 10_000 }, 2);
    expect(endsAfterHeal).toBe(4); // the loss burst's and the clock's at the heal, the crash's and the delay's after it
  });
});
