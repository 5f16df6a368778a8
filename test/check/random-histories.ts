import fc from 'fast-check';
import type { EventType, HistoryEvent, Json } from '../../src/history/operation.js';

/** One operation a client may issue, with every way it may end. */
export interface OperationShape {
  readonly f: string;
  readonly key?: string;
  readonly invokeValue: Json;
  /** The value on an `ok` completion. */
  readonly okValue: Json;
}

/** Small value domains so that reads and compares often match and both verdicts occur. */
export const shapesByModel: Record<string, fc.Arbitrary<OperationShape>> = {
  register: fc.oneof(
    fc.record({ f: fc.constant('read'), invokeValue: fc.constant(null), okValue: fc.constantFrom(null, 1, 2, 3) }),
    fc.integer({ min: 1, max: 3 }).map((value) => ({ f: 'write', invokeValue: value, okValue: value })),
  ),
  'cas-register': fc.oneof(
    fc.record({ f: fc.constant('read'), invokeValue: fc.constant(null), okValue: fc.constantFrom(null, 1, 2) }),
    fc.integer({ min: 1, max: 2 }).map((value) => ({ f: 'write', invokeValue: value, okValue: value })),
    fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })).map(([expected, value]) => ({ f: 'cas', invokeValue: [expected, value], okValue: [expected, value] })),
  ),
  kv: fc.oneof(
    fc.record({ f: fc.constant('get'), key: fc.constantFrom('a', 'b'), invokeValue: fc.constant(null), okValue: fc.constantFrom('', 'x', 'xy', 'y', 'yx', 'z') }),
    fc.record({ f: fc.constantFrom('append', 'put'), key: fc.constantFrom('a', 'b'), invokeValue: fc.constantFrom('x', 'y', 'z'), okValue: fc.constant(null) }),
  ),
  counter: fc.oneof(
    fc.record({ f: fc.constant('add'), invokeValue: fc.constantFrom(1, 2), okValue: fc.constant(null) }),
    fc.record({ f: fc.constant('read'), invokeValue: fc.constant(null), okValue: fc.constantFrom(0, 1, 2, 3) }),
  ),
  set: fc.oneof(
    fc.record({ f: fc.constant('add'), invokeValue: fc.constantFrom(1, 2), okValue: fc.constant(null) }),
    fc.record({ f: fc.constant('read'), invokeValue: fc.constant(null), okValue: fc.constantFrom<Json>([], [1], [2], [1, 2]) }),
  ),
  'fifo-queue': fc.oneof(
    fc.record({ f: fc.constant('enqueue'), invokeValue: fc.constantFrom(1, 2), okValue: fc.constant(null) }),
    fc.record({ f: fc.constant('dequeue'), invokeValue: fc.constant(null), okValue: fc.constantFrom(null, 1, 2) }),
  ),
  'multi-register': fc
    .array(fc.record({ kind: fc.constantFrom(':r', ':w'), key: fc.constantFrom(':x', ':y'), written: fc.constantFrom(1, 2), read: fc.constantFrom<Json>(null, 1, 2) }), { minLength: 1, maxLength: 2 })
    .map((micro) => ({
      f: 'txn',
      invokeValue: micro.map(({ kind, key, written }) => [kind, key, kind === ':w' ? written : null]),
      okValue: micro.map(({ kind, key, written, read }) => [kind, key, kind === ':w' ? written : read]),
    })),
  mutex: fc.record({ f: fc.constantFrom('acquire', 'release'), invokeValue: fc.constantFrom(1, 2), okValue: fc.constant(null) }),
};

export interface PlannedOperation {
  readonly process: number;
  readonly shape: OperationShape;
  readonly outcome: 'ok' | 'fail' | 'info' | 'open';
}

/**
 * A random concurrent history: `schedule` says which client acts at each step; a client with an
 * open operation completes it (ok, fail or info as planned), otherwise it invokes its next one.
 * Operations still open at the end never complete (indeterminate). `ties` makes some events
 * share a timestamp, which the checker must treat as concurrency.
 */
export function historyArbitrary(
  model: string,
  maxOperations = 8,
  options: { shape?: fc.Arbitrary<OperationShape>; outcome?: fc.Arbitrary<PlannedOperation['outcome']> } = {},
): fc.Arbitrary<HistoryEvent[]> {
  const shape = options.shape ?? (shapesByModel[model] as fc.Arbitrary<OperationShape>);
  const outcome = options.outcome ?? fc.constantFrom<'ok' | 'fail' | 'info' | 'open'>('ok', 'ok', 'ok', 'ok', 'fail', 'info', 'open');
  const planned = fc.record({ shape, outcome });
  return fc
    .record({
      operations: fc.array(planned, { minLength: 1, maxLength: maxOperations }),
      clients: fc.integer({ min: 2, max: 4 }),
      schedule: fc.array(fc.nat(3), { minLength: 2 * maxOperations, maxLength: 4 * maxOperations }),
      ties: fc.array(fc.boolean(), { minLength: 4 * maxOperations + 8, maxLength: 4 * maxOperations + 8 }),
    })
    .map(({ operations, clients, schedule, ties }) => buildHistory(operations, clients, schedule, ties));
}

function buildHistory(operations: { shape: OperationShape; outcome: PlannedOperation['outcome'] }[], clients: number, schedule: number[], ties: boolean[]): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  const open = new Map<number, { shape: OperationShape; outcome: PlannedOperation['outcome'] }>();
  let nextOperation = 0;
  let time = 0;
  let nextProcess = clients;
  const processOf = Array.from({ length: clients }, (_, index) => index);
  const push = (event: Omit<HistoryEvent, 'time'>): void => {
    time += ties[events.length % ties.length] ? 0 : 1;
    events.push({ ...event, time });
  };
  const act = (client: number): void => {
    const process = processOf[client] as number;
    const current = open.get(process);
    if (current !== undefined) {
      if (current.outcome === 'open') return;
      open.delete(process);
      const type: EventType = current.outcome;
      const value = type === 'ok' ? current.shape.okValue : type === 'info' ? ':timeout' : current.shape.invokeValue;
      push(withKey({ process, type, f: current.shape.f, value }, current.shape.key));
      // Jepsen's rule: after info the client continues under a new process number.
      if (type === 'info') processOf[client] = nextProcess++;
      return;
    }
    const planned = operations[nextOperation];
    if (planned === undefined) return;
    nextOperation++;
    open.set(process, planned);
    push(withKey({ process, type: 'invoke', f: planned.shape.f, value: planned.shape.invokeValue }, planned.shape.key));
  };
  for (const step of schedule) act(step % clients);
  // Drain: invoke what is left and complete everything that is planned to complete.
  for (let round = 0; round < operations.length * 2 + 2; round++) for (let client = 0; client < clients; client++) act(client);
  return events;
}

function withKey(event: Omit<HistoryEvent, 'time'>, key: string | undefined): Omit<HistoryEvent, 'time'> {
  return key === undefined ? event : { ...event, key };
}
