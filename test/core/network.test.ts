import { describe, expect, it } from 'vitest';
import { cutLinks } from '../../src/network/partition.js';
import { millis } from '../../src/sim/time.js';
import { MiniWorld } from './mini-world.js';

const note = (text: string) => ({ type: 'Note' as const, text });

function cutPairs(cut: Uint8Array, n: number): string[] {
  const pairs: string[] = [];
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (cut[a * n + b] === 1) pairs.push(`${a}>${b}`);
  return pairs;
}

describe('partition shapes cut exactly the links they name', () => {
  it('isolate cuts every link to and from one node', () => {
    expect(cutPairs(cutLinks({ shape: 'isolate', node: 1 }, 3), 3)).toEqual(['0>1', '1>0', '1>2', '2>1']);
  });
  it('split separates a minority from the rest', () => {
    expect(cutPairs(cutLinks({ shape: 'split', minority: [0] }, 3), 3)).toEqual(['0>1', '0>2', '1>0', '2>0']);
  });
  it('bridge lets the bridge node talk to both halves only', () => {
    const pairs = cutPairs(cutLinks({ shape: 'bridge', bridge: 2, left: [0, 1], right: [3, 4] }, 5), 5);
    expect(pairs).toEqual(['0>3', '0>4', '1>3', '1>4', '3>0', '3>1', '4>0', '4>1']);
  });
  it('majorities-ring gives every node a majority, and no two the same one', () => {
    const n = 5;
    const cut = cutLinks({ shape: 'majorities-ring', order: [0, 1, 2, 3, 4] }, n);
    const views = [...Array(n).keys()].map((a) => [...Array(n).keys()].filter((b) => a === b || cut[a * n + b] === 0).join(''));
    for (const view of views) expect(view.length).toBe(3);
    expect(new Set(views).size).toBe(n);
  });
  it('groups keep links inside a group; an unlisted node is alone', () => {
    expect(cutPairs(cutLinks({ shape: 'groups', groups: [[0, 1]] }, 3), 3)).toEqual(['0>2', '1>2', '2>0', '2>1']);
  });
  it('one-way cuts a single direction', () => {
    expect(cutPairs(cutLinks({ shape: 'one-way', from: [0], to: [1, 2] }, 3), 3)).toEqual(['0>1', '0>2']);
  });
});

describe('the network under faults', () => {
  it('a partition blocks exactly the cut links, and heal restores them', () => {
    const world = new MiniWorld({ nodes: 3 });
    const id = world.network.partition({ shape: 'isolate', node: 0 });
    world.inject(0, 1, note('cut'));
    world.inject(1, 2, note('open'));
    world.runUntil(millis(10));
    expect(world.state(1).seen).toEqual([]);
    expect(world.state(2).seen).toEqual(['1000 msg from n1 Note(open)']);
    expect(world.network.counters.droppedPartition).toBe(1);
    world.network.heal(id);
    world.inject(0, 1, note('healed'));
    world.runUntil(millis(20));
    expect(world.state(1).seen).toEqual(['11000 msg from n0 Note(healed)']);
  });

  it('drop mode loses a message in flight when its link is cut before it arrives', () => {
    const world = new MiniWorld({ nodes: 2, link: { latency: { kind: 'constant', value: millis(5) } } });
    world.inject(0, 1, note('in flight'));
    world.at(millis(1), () => world.network.partition({ shape: 'isolate', node: 1 }));
    world.runUntil(millis(10));
    expect(world.state(1).seen).toEqual([]);
    expect(world.traceText('drop')).toEqual(['0.005000s drop(partition) n0->n1 Note(in flight)']);
  });

  it('hold mode keeps blocked messages and delivers them in order after the heal', () => {
    const world = new MiniWorld({ nodes: 2, mode: 'hold' });
    world.network.partition({ shape: 'isolate', node: 1 });
    world.inject(0, 1, note('first'));
    world.inject(0, 1, note('second'));
    world.runUntil(millis(10));
    expect(world.state(1).seen).toEqual([]);
    world.network.heal();
    world.runUntil(millis(20));
    expect(world.state(1).seen.map((line) => line.split(' ').slice(1).join(' '))).toEqual(['msg from n0 Note(first)', 'msg from n0 Note(second)']);
    expect(world.network.counters.held).toBe(2);
  });

  it('a duplicated message is delivered twice, each copy with its own delay', () => {
    const world = new MiniWorld({ nodes: 2, link: { duplicatePpm: 1_000_000, latency: { kind: 'uniform', min: millis(1), max: millis(9) } } });
    world.inject(0, 1, note('twice'));
    world.runUntil(millis(20));
    expect(world.state(1).seen.filter((line) => line.endsWith('Note(twice)'))).toHaveLength(2);
    expect(world.network.counters.duplicated).toBe(1);
    expect(world.network.counters.delivered).toBe(2);
  });

  it('loss drops messages at its rate', () => {
    const world = new MiniWorld({ nodes: 2, link: { lossPpm: 250_000 } });
    for (let i = 0; i < 4000; i++) world.inject(0, 1, note(`m${i}`));
    world.runUntil(millis(10));
    const lost = world.network.counters.droppedLoss;
    expect(lost).toBeGreaterThan(850);
    expect(lost).toBeLessThan(1150);
    expect(world.state(1).seen).toHaveLength(4000 - lost);
  });

  it('forced reordering lets later messages overtake a held-back one', () => {
    const world = new MiniWorld({ nodes: 2, link: { reorderPpm: 500_000, reorderDelay: millis(50) } });
    for (let i = 0; i < 20; i++) world.inject(0, 1, note(String(i)));
    world.runUntil(millis(100));
    const order = world.state(1).seen.map((line) => Number(/Note\((\d+)\)/.exec(line)![1]));
    expect(order).toHaveLength(20);
    expect(order).not.toEqual([...order].sort((a, b) => a - b));
    expect(world.network.counters.reordered).toBeGreaterThan(0);
  });

  it('a message to a crashed node is dropped as node-down', () => {
    const world = new MiniWorld({ nodes: 2 });
    world.hosts[1]!.crash(false);
    world.inject(0, 1, note('lost'));
    world.runUntil(millis(10));
    expect(world.network.counters.droppedNodeDown).toBe(1);
  });
});
