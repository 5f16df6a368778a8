import type { EventType, HistoryEvent, Json } from '../history/operation.js';

/** A small seeded generator (xorshift32) so stress histories are the same on every run. */
export class BenchRandom {
  private state: number;
  constructor(seed: number) {
    this.state = seed | 0 || 1;
  }
  /** An integer in [0, bound). */
  below(bound: number): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x;
    return (x >>> 0) % bound;
  }
}

export interface StressShape {
  readonly operations: number;
  readonly clients: number;
  readonly keys: number;
  /** Out of 1000: how many operations end as info. */
  readonly infoPerMille: number;
  /** Out of 1000: how many operations are writes (the rest reads and cas). */
  readonly writePerMille: number;
  /** Values are drawn from [0, valueRange): small ranges make every info write observable. */
  readonly valueRange: number;
  readonly seed: number;
  /** Plain register: reads and writes only, no cas (the single-key register histories). */
  readonly noCas?: boolean;
  /** Every write writes its own value (1, 2, 3, …) instead of drawing from valueRange. */
  readonly uniqueValues?: boolean;
  /** Plant one stale read near the end (at 99% of the operations): not linearizable. */
  readonly staleRead?: boolean;
}

interface Planned {
  process: number;
  key: string;
  f: 'read' | 'write' | 'cas';
  argument: Json;
  call: number;
  end: number;
  point: number;
  info: boolean;
  takesEffect: boolean;
  output?: Json;
  failed?: boolean;
}

/**
 * A linearizable cas-register history of a correct system: each client issues operations one at
 * a time with random durations; each takes effect at a random instant of its interval (or, when
 * it ends as info, maybe never), and outputs are computed by applying operations in that order.
 */
export function stressHistory(shape: StressShape): HistoryEvent[] {
  const random = new BenchRandom(shape.seed);
  const planned: Planned[] = [];
  const clientTime = new Array<number>(shape.clients).fill(0);
  const clientProcess = Array.from({ length: shape.clients }, (_, client) => client);
  let nextProcess = shape.clients;
  for (let index = 0; index < shape.operations; index++) {
    const client = random.below(shape.clients);
    const call = (clientTime[client] as number) + 1 + random.below(20);
    const end = call + 1 + random.below(60);
    const roll = random.below(1000);
    const readShare = shape.noCas === true ? 1000 - shape.writePerMille : (1000 - shape.writePerMille) / 2;
    const f = roll < shape.writePerMille ? 'write' : roll < shape.writePerMille + readShare ? 'read' : 'cas';
    const info = f !== 'read' && random.below(1000) < (shape.infoPerMille * 1000) / Math.max(1, 1000 - readShare);
    const drawn = random.below(shape.valueRange);
    const written = shape.uniqueValues === true ? index + 1 : drawn;
    const argument: Json = f === 'read' ? null : f === 'write' ? written : [random.below(shape.valueRange), random.below(shape.valueRange)];
    planned.push({ process: clientProcess[client] as number, key: `k${random.below(shape.keys)}`, f, argument, call, end, point: call + random.below(end - call + 1), info, takesEffect: !info || random.below(2) === 0 });
    clientTime[client] = end;
    if (info) clientProcess[client] = nextProcess++;
  }
  const stale = shape.staleRead === true ? plantStaleRead(planned, shape) : undefined;
  applyInOrder(planned);
  if (stale !== undefined) stale.read.output = stale.value;
  return toEvents(planned);
}

/**
 * Picks a read at 99% of the history, a completed write w2 that returned before the read was
 * invoked, and a completed write w1 that returned before w2 was invoked; w1 gets a value of its
 * own, and the read will return it. In every linearization w1 < w2 < read, so the read is
 * stale: not linearizable, whatever the other operations do.
 */
function plantStaleRead(planned: Planned[], shape: StressShape): { read: Planned; value: Json } | undefined {
  const completedWrites = planned.filter((operation) => operation.f === 'write' && !operation.info);
  for (let index = Math.floor(planned.length * 0.99); index < planned.length; index++) {
    const read = planned[index] as Planned;
    if (read.f !== 'read') continue;
    const second = latest(completedWrites.filter((operation) => operation.end < read.call));
    if (second === undefined) continue;
    const first = latest(completedWrites.filter((operation) => operation.end < second.call));
    if (first === undefined) continue;
    const value: Json = shape.uniqueValues === true ? first.argument : shape.valueRange + 1;
    first.argument = value;
    return { read, value };
  }
  return undefined;
}

function latest(operations: readonly Planned[]): Planned | undefined {
  let found: Planned | undefined;
  for (const operation of operations) if (found === undefined || operation.call > found.call) found = operation;
  return found;
}

function applyInOrder(planned: Planned[]): void {
  const state = new Map<string, Json>();
  const byPoint = [...planned].sort((a, b) => a.point - b.point);
  for (const operation of byPoint) {
    if (!operation.takesEffect) continue;
    const current = state.get(operation.key) ?? null;
    if (operation.f === 'read') operation.output = current;
    else if (operation.f === 'write') state.set(operation.key, operation.argument);
    else {
      const [expected, value] = operation.argument as [number, number];
      operation.failed = current !== expected;
      if (!operation.failed) state.set(operation.key, value);
    }
  }
}

function toEvents(planned: Planned[]): HistoryEvent[] {
  const events: (HistoryEvent & { order: number })[] = [];
  planned.forEach((operation, index) => {
    events.push({ process: operation.process, type: 'invoke', f: operation.f, key: operation.key, value: operation.argument, time: operation.call, order: 2 * index });
    const type: EventType = operation.info ? 'info' : operation.failed === true ? 'fail' : 'ok';
    const value = operation.info ? ':timeout' : operation.f === 'read' ? (operation.output ?? null) : operation.argument;
    events.push({ process: operation.process, type, f: operation.f, key: operation.key, value, time: operation.end, order: 2 * index + 1 });
  });
  events.sort((a, b) => a.time - b.time || a.order - b.order);
  return events.map(({ order: _order, ...event }) => event);
}

export interface CounterShape {
  readonly operations: number;
  readonly clients: number;
  /** How many adds end as info (crashed: they may or may not take effect, at any later time). */
  readonly indeterminateAdds: number;
  readonly seed: number;
  /** Plant one read that returns one more than any order allows: not linearizable. */
  readonly wrongRead?: boolean;
}

/**
 * A counter history of a correct system (issue 17's counter row): clients add 1..5 or read, one
 * operation at a time; `indeterminateAdds` of the adds crash (info), and each of those takes
 * effect, at a random instant after its invocation, or never, with even odds. Outputs are
 * computed by applying operations in the order of their instants.
 */
export function counterHistory(shape: CounterShape): HistoryEvent[] {
  const random = new BenchRandom(shape.seed);
  const planned: { process: number; f: 'add' | 'read'; delta: number; call: number; end: number; point: number; info: boolean; takesEffect: boolean; output: number }[] = [];
  const clientTime = new Array<number>(shape.clients).fill(0);
  const clientProcess = Array.from({ length: shape.clients }, (_, client) => client);
  let nextProcess = shape.clients;
  // Which adds crash: every k-th add until the count is reached, k from the expected number of adds.
  const addEvery = Math.max(1, Math.floor(shape.operations / 2 / Math.max(1, shape.indeterminateAdds)));
  let adds = 0;
  let crashed = 0;
  for (let index = 0; index < shape.operations; index++) {
    const client = random.below(shape.clients);
    const call = (clientTime[client] as number) + 1 + random.below(20);
    const end = call + 1 + random.below(60);
    const f = random.below(2) === 0 ? 'add' : 'read';
    const info = f === 'add' && adds++ % addEvery === addEvery - 1 && crashed < shape.indeterminateAdds;
    if (info) crashed++;
    const point = info ? call + random.below(200) : call + random.below(end - call + 1);
    planned.push({ process: clientProcess[client] as number, f, delta: 1 + random.below(5), call, end, point, info, takesEffect: !info || random.below(2) === 0, output: 0 });
    clientTime[client] = end;
    if (info) clientProcess[client] = nextProcess++;
  }
  let sum = 0;
  for (const operation of [...planned].sort((a, b) => a.point - b.point)) {
    if (!operation.takesEffect) continue;
    if (operation.f === 'add') sum += operation.delta;
    else operation.output = sum;
  }
  if (shape.wrongRead === true) {
    // The last read returns more than every add invoked before it returned could sum to.
    const last = [...planned].reverse().find((operation) => operation.f === 'read');
    if (last !== undefined) last.output = planned.filter((operation) => operation.f === 'add').reduce((total, operation) => total + operation.delta, 0) + 1;
  }
  const events: (HistoryEvent & { order: number })[] = [];
  planned.forEach((operation, index) => {
    events.push({ process: operation.process, type: 'invoke', f: operation.f, value: operation.f === 'add' ? operation.delta : null, time: operation.call, order: 2 * index });
    const value = operation.info ? ':timeout' : operation.f === 'add' ? operation.delta : operation.output;
    events.push({ process: operation.process, type: operation.info ? 'info' : 'ok', f: operation.f, value, time: operation.end, order: 2 * index + 1 });
  });
  events.sort((a, b) => a.time - b.time || a.order - b.order);
  return events.map(({ order: _order, ...event }) => event);
}
