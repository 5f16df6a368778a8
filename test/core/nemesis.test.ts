import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run/run-scenario.js';
import { parseScenario } from '../../src/scenario/load.js';
import type { TraceEvent } from '../../src/trace/trace-event.js';

function run(lines: string[], seed = 1) {
  const scenario = parseScenario(['nodes: 5', 'protocol: { name: raft }', 'workload: { kind: cas-register, clients: 2, thinkTime: 20ms }', ...lines].join('\n'));
  return runScenario(scenario, { seed, keepTrace: true, skipLinearizability: true });
}

function faults(trace: readonly TraceEvent[]): string[] {
  return trace.filter((event) => event.kind === 'fault').map((event) => `${event.time / 1000}ms ${(event as { phase: string }).phase} ${(event as { description: string }).description}`);
}

describe('the nemesis applies each fault kind as scheduled', () => {
  it('a flapping partition alternates on schedule: on for `for`, off until the next `every`', () => {
    const { trace } = run(['faults:', '  - { at: 1s, every: 1s, until: 3500ms, action: partition, partition: { shape: isolate, node: 2 }, for: 400ms }', 'duration: 5s']);
    expect(faults(trace!)).toEqual([
      '1000ms start partition isolate n2',
      '1400ms end heal isolate n2',
      '2000ms start partition isolate n2',
      '2400ms end heal isolate n2',
      '3000ms start partition isolate n2',
      '3400ms end heal isolate n2',
    ]);
    // While cut, nothing reaches node 2; between the windows, messages do.
    const deliveredTo2 = trace!.filter((event) => event.kind === 'deliver' && event.to === 2).map((event) => event.time);
    expect(deliveredTo2.some((time) => time > 1_000_500 && time < 1_400_000)).toBe(false);
    expect(deliveredTo2.some((time) => time > 1_500_000 && time < 2_000_000)).toBe(true);
  });

  it('a slow node: extra delay on its links only, for the window, then restored', () => {
    const { trace } = run(['network: { latency: { distribution: constant, value: 2ms } }', 'faults:', '  - { at: 1s, action: network, links: { node: 3 }, extraDelay: 37ms, for: 1s }', 'duration: 3s']);
    const sent = new Set<string>();
    const key = (from: number, to: number, type: string, time: number) => `${from}>${to} ${type} @${time}`;
    for (const event of trace!) if (event.kind === 'send') sent.add(key(event.from, event.to, event.message.type, event.time));
    // With constant latency, a delivery's send time is its arrival minus the link's delay (37ms is
    // no multiple of any protocol period, so the match is unambiguous).
    const delayOf = (event: Extract<TraceEvent, { kind: 'deliver' }>) =>
      [2_000, 39_000].find((delay) => sent.has(key(event.from, event.to, event.message.type, event.time - delay)));
    const deliveries = trace!.filter((event): event is Extract<TraceEvent, { kind: 'deliver' }> => event.kind === 'deliver');
    const slowWindow = deliveries.filter((event) => event.time >= 1_039_000 && event.time < 2_000_000);
    const touches3 = (event: { from: number; to: number }) => event.from === 3 || event.to === 3;
    expect(slowWindow.filter(touches3).length).toBeGreaterThan(10);
    expect(slowWindow.filter(touches3).every((event) => delayOf(event) === 39_000)).toBe(true);
    expect(slowWindow.filter((event) => !touches3(event)).every((event) => delayOf(event) === 2_000)).toBe(true);
    expect(deliveries.filter((event) => event.time >= 2_100_000).every((event) => delayOf(event) === 2_000)).toBe(true);
  });

  it('a clock fault with drift makes the node fire its timers at the skewed rate', () => {
    const steady = run(['duration: 4s'], 9).trace!;
    const fast = run(['faults:', '  - { at: 0ms, action: clock, node: all, driftPpm: 500000 }', 'duration: 4s'], 9).trace!;
    const timers = (trace: readonly TraceEvent[]) => trace.filter((event) => event.kind === 'timer' && event.name === 'heartbeat').length;
    // Clocks 50% fast: a 50ms heartbeat interval of local time passes in 33ms of simulated time.
    const ratio = timers(fast) / timers(steady);
    expect(ratio).toBeGreaterThan(1.4);
    expect(ratio).toBeLessThan(1.6);
  });

  it('crash with a torn write, then restart: the node finds a corrupt record and still rejoins safely', () => {
    const output = run(['disk: { syncDelay: 2ms }', 'faults:', '  - { at: 500ms, every: 300ms, until: 3s, action: crash, node: random, tornWrite: true, for: 100ms }', 'duration: 4s', 'liveness: { bound: 3s }']);
    const crashes = output.trace!.filter((event) => event.kind === 'crash');
    expect(crashes.length).toBeGreaterThan(5);
    expect(crashes.some((event) => event.kind === 'crash' && event.lostWrites > 0)).toBe(true);
    expect(output.result.verdict.kind).toBe('pass');
  });

  it('corrupting a durable record is noticed by the protocol (primary-backup refuses to serve)', () => {
    const scenario = parseScenario(
      [
        'nodes: 3',
        'protocol: { name: primary-backup }',
        'workload: { kind: cas-register, clients: 2, thinkTime: 20ms }',
        'faults:',
        '  - { at: 1s, action: corrupt, node: 2, keyPrefix: "log/" }',
        '  - { at: 1100ms, action: crash, node: 2, for: 100ms }',
        'duration: 3s',
      ].join('\n'),
    );
    const output = runScenario(scenario, { seed: 3, keepTrace: true });
    expect(faults(output.trace!)[0]).toMatch(/corrupt n2:log\/\d+/);
    // Back from the crash, node 2 reads the corrupt record and stays out of every quorum: it
    // sends nothing at all, while the other two keep serving the clients correctly.
    const restartedAt = output.trace!.find((event) => event.kind === 'restart')!.time;
    expect(output.trace!.filter((event) => event.kind === 'send' && event.from === 2 && event.time >= restartedAt)).toEqual([]);
    expect(output.result.verdict.kind).toBe('pass');
  });

  it('a liveness core: only those nodes heal and must serve the clients; the rest stay down and cut off', () => {
    const output = run([
      'faults:',
      '  - { at: 1s, action: crash, node: 3 }',
      '  - { at: 1s, action: partition, partition: { shape: isolate, node: 4 } }',
      '  - { at: 1500ms, action: partition, partition: { shape: isolate, node: 0 } }',
      'duration: 3s',
      'liveness: { bound: 5s, core: [0, 1, 2] }',
    ]);
    const trace = output.trace!;
    expect(faults(trace).at(-1)).toBe("3000ms end heal the core {n0,n1,n2}; the rest stay cut off");
    expect(trace.filter((event) => event.kind === 'restart')).toEqual([]); // node 3 stays down
    const healedAt = 3_000_000;
    expect(trace.some((event) => event.kind === 'deliver' && event.time > healedAt && (event.to === 4 || event.from === 4))).toBe(false);
    expect(trace.some((event) => event.kind === 'deliver' && event.time > healedAt && event.to === 0)).toBe(true);
    expect(output.result.verdict.kind).toBe('pass');
  });

  it("a fault's end undoes only its own effect: a crash ending after the node was restarted and crashed again leaves it down", () => {
    const { trace } = run([
      'faults:',
      '  - { at: 1s, action: crash, node: 1, for: 1s }',
      '  - { at: 1200ms, action: restart, node: 1 }',
      '  - { at: 1500ms, action: crash, node: 1, for: 1s }',
      '  - { at: 3s, action: pause, node: 2, for: 1s }',
      '  - { at: 3200ms, action: resume, node: 2 }',
      '  - { at: 3500ms, action: pause, node: 2 }',
      'duration: 5s',
    ]);
    expect(faults(trace!)).toEqual([
      '1000ms start crash n1',
      '1200ms start restart n1',
      '1500ms start crash n1',
      '2000ms end restart (no node)', // the first crash's end: n1 is the second crash's now
      '2500ms end restart n1',
      '3000ms start pause n2',
      '3200ms start resume n2',
      '3500ms start pause n2',
      '4000ms end resume (no node)', // the first pause's end: the second pause (no end) holds n2
    ]);
  });

  it('a liveness core: a fault ending after the heal brings no node outside the core back', () => {
    const output = run(['faults:', '  - { at: 1s, action: crash, node: 3, for: 2000001us }', '  - { at: 1s, action: pause, node: 4, for: 2000002us }', 'duration: 3s', 'liveness: { bound: 5s, core: [0, 1, 2] }']);
    const trace = output.trace!;
    expect(faults(trace).slice(-3)).toEqual(['3000ms end heal the core {n0,n1,n2}; the rest stay cut off', '3000.001ms end restart (no node)', '3000.002ms end resume (no node)']);
    expect(trace.filter((event) => event.kind === 'restart' || event.kind === 'resume')).toEqual([]);
  });

  it('a fault triggered by a send hits the sender right after that step, only inside its window', () => {
    const { trace } = run([
      'faults:',
      '  - { at: 1s, every: 500ms, until: 4s, action: crash, node: leader, for: 200ms }',
      '  - { at: 1s, until: 3s, after: { send: vote-response }, action: crash, node: sender, for: 5ms }',
      'duration: 5s',
    ]);
    const events = trace!;
    const triggered = events.flatMap((event, index) => (event.kind === 'fault' && event.phase === 'start' && event.description.includes('after n') ? [index] : []));
    expect(triggered.length).toBeGreaterThan(0);
    expect(triggered.some((index) => /^crash n\d/.test((events[index] as { description: string }).description))).toBe(true);
    for (const index of triggered) {
      const fault = events[index] as Extract<TraceEvent, { kind: 'fault' }>;
      const sender = Number(/after n(\d+) sent vote-response/.exec(fault.description)![1]);
      expect(fault.time).toBeGreaterThan(1_000_000);
      expect(fault.time).toBeLessThanOrEqual(3_000_001);
      // It crashes the sender, unless f nodes are down already (the bound symbolic targets keep).
      expect(fault.description).toMatch(new RegExp(`^crash (n${sender}|\\(no node\\)) \\(after n${sender} sent vote-response\\)$`));
      // One microsecond after the sender's vote response, with nothing of the sender's in between.
      const previousSend = events.slice(0, index).reverse().find((event) => event.kind === 'send' && event.from === sender);
      expect(previousSend).toMatchObject({ time: fault.time - 1, message: { type: 'vote-response' } });
    }
  });
});
