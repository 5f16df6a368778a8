import { describe, expect, it } from 'vitest';
import { HELD_PER_LINK_MAX } from '../../src/network/network.js';
import { millis } from '../../src/sim/time.js';
import { MiniWorld } from './mini-world.js';

describe('named bounds', () => {
  it(`a hold-mode link queue keeps at most ${HELD_PER_LINK_MAX} messages; the overflow is dropped and counted`, () => {
    const world = new MiniWorld({ nodes: 2, mode: 'hold' });
    world.network.partition({ shape: 'isolate', node: 1 });
    for (let i = 0; i < HELD_PER_LINK_MAX + 5; i++) world.inject(0, 1, { type: 'Note', text: String(i) });
    world.runUntil(millis(10));
    expect(world.network.counters.held).toBe(HELD_PER_LINK_MAX);
    expect(world.network.counters.droppedPartition).toBe(5);
    world.network.assertBalanced();
    world.network.heal();
    world.runUntil(millis(100));
    expect(world.network.counters.delivered).toBe(HELD_PER_LINK_MAX);
    expect(world.state(1).seen.at(-1)).toMatch(new RegExp(`Note\\(${HELD_PER_LINK_MAX - 1}\\)$`));
    world.network.assertBalanced();
  });
});
