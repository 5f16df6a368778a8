import { describe, expect, it } from 'vitest';
import { millis } from '../../src/sim/time.js';
import { MiniWorld } from './mini-world.js';

const command = (body: object) => ({ type: 'Command', ...body }) as never;

describe('node host faults', () => {
  it('a crashed node keeps its durable store and loses its volatile state and timers', () => {
    const world = new MiniWorld({ nodes: 2 });
    world.inject(0, 1, command({ do: 'persist', key: 'term', value: 3 }));
    world.inject(0, 1, command({ do: 'timer', name: 'election', delay: millis(50) }));
    world.runUntil(millis(5));
    expect(world.state(1).seen).toHaveLength(2);
    world.hosts[1]!.crash(false);
    world.runUntil(millis(10));
    world.hosts[1]!.restart();
    world.runUntil(millis(100));
    expect(world.state(1).bootDisk).toEqual({ term: '3' });
    expect(world.state(1).seen).toEqual([]); // the old incarnation's timer never fired
    expect(world.traceText('timer')).toEqual([]);
  });

  it('a re-armed timer fires once, at its latest due time, whether postponed or brought forward', () => {
    const world = new MiniWorld({ nodes: 2 });
    world.inject(0, 1, command({ do: 'timer', name: 'election', delay: millis(50) })); // arrives at 1ms
    world.at(millis(20), () => world.inject(0, 1, command({ do: 'timer', name: 'election', delay: millis(50) }))); // postponed to 71ms
    world.at(millis(40), () => world.inject(0, 1, command({ do: 'timer', name: 'election', delay: millis(50) }))); // postponed to 91ms
    world.inject(0, 1, command({ do: 'timer', name: 'probe', delay: millis(50) })); // 51ms
    world.at(millis(30), () => world.inject(0, 1, command({ do: 'timer', name: 'probe', delay: millis(5) }))); // brought forward to 36ms
    world.runUntil(millis(200));
    expect(world.traceText('timer')).toEqual(['0.036000s timer n1 probe', '0.091000s timer n1 election']);
  });

  it('a crash loses writes not yet synced; a torn crash leaves the last one corrupt', () => {
    for (const torn of [false, true]) {
      const world = new MiniWorld({ nodes: 2, syncDelay: millis(10) });
      world.inject(0, 1, command({ do: 'persist', key: 'a', value: 1 }));
      world.runUntil(millis(20)); // synced
      world.inject(0, 1, command({ do: 'persist', key: 'b', value: 2 }));
      world.runUntil(millis(25)); // written at 21ms, sync due at 31ms
      world.hosts[1]!.crash(torn);
      world.hosts[1]!.restart();
      expect(world.state(1).bootDisk).toEqual(torn ? { a: '1', b: 'corrupt' } : { a: '1' });
      expect(world.traceText('crash')).toEqual(['0.025000s crash n1 lost-writes=1']);
    }
  });

  it('a send that follows a persist waits until the write is durable', () => {
    const world = new MiniWorld({ nodes: 3, syncDelay: millis(10) });
    world.inject(0, 1, command({ do: 'persist', key: 'vote', value: 2 }));
    world.runUntil(millis(1)); // node 1 has written, sync in flight until 11ms
    world.inject(0, 1, command({ do: 'send', to: 2, text: 'granted' }));
    world.runUntil(millis(30));
    expect(world.state(2).seen).toEqual(['12000 msg from n1 Note(granted)']);
  });

  it('a paused node queues its input and handles it in order after resume', () => {
    const world = new MiniWorld({ nodes: 2 });
    world.hosts[1]!.pause();
    world.inject(0, 1, { type: 'Note', text: 'one' });
    world.inject(0, 1, command({ do: 'timer', name: 't', delay: 0 }));
    world.runUntil(millis(5));
    world.inject(0, 1, { type: 'Note', text: 'two' });
    world.runUntil(millis(50));
    expect(world.state(1).seen).toEqual([]);
    world.hosts[1]!.resume();
    expect(world.state(1).seen.map((line) => line.split(' ').slice(1).join(' '))).toEqual([
      'msg from n0 Note(one)',
      `msg from n0 Command({"type":"Command","do":"timer","name":"t","delay":0})`,
      'msg from n0 Note(two)',
    ]);
    world.runUntil(millis(51));
    expect(world.state(1).seen.at(-1)).toBe('50000 timer t'); // armed on resume, fires at once
  });

  it('a skewed, drifting clock shifts what the node reads and when its timers fire', () => {
    const world = new MiniWorld({ nodes: 2 });
    world.hosts[1]!.clock.adjust(0, millis(500), 100_000); // +500ms, and 10% fast
    world.runUntil(millis(100));
    world.inject(0, 1, command({ do: 'timer', name: 'lease', delay: millis(110) }));
    world.runUntil(millis(300));
    const [arrival, fire] = world.state(1).seen;
    expect(arrival).toMatch(/^611100 msg/); // local time: 500ms + 101ms × 1.1
    // 110ms of local time pass in 100ms of simulated time on a clock running 10% fast.
    expect(world.traceText('timer')).toEqual(['0.201000s timer n1 lease']);
    expect(fire).toBe('721100 timer lease');
  });
});
