import fc from 'fast-check';
import type { HistoryEvent, Json } from '../../src/history/operation.js';

/** An operation of a sequential run: what was asked and what the object answered. */
interface Executed {
  readonly f: string;
  readonly key?: string;
  readonly invokeValue: Json;
  readonly okValue: Json;
  /** Read-like operations whose output can be falsified by the "never written" property. */
  readonly isRead: boolean;
}

type Step = { f: string; key: string; argument: number };

/**
 * Executes operations one at a time on a real (tiny) implementation of each model, so every
 * output is what a correct object returns. Independent of the models under test.
 */
export function executeSequentially(model: 'register' | 'cas-register' | 'kv' | 'counter' | 'fifo-queue', steps: readonly Step[]): Executed[] {
  const store = new Map<string, Json>();
  const queue: number[] = [];
  return steps.map(({ f, key, argument }): Executed => {
    switch (model) {
      case 'register':
        if (f === 'read') return { f: 'read', invokeValue: null, okValue: store.get('') ?? null, isRead: true };
        store.set('', argument);
        return { f: 'write', invokeValue: argument, okValue: argument, isRead: false };
      case 'cas-register': {
        const current = store.get('') ?? null;
        if (f === 'read') return { f: 'read', invokeValue: null, okValue: current, isRead: true };
        if (f === 'write') {
          store.set('', argument);
          return { f: 'write', invokeValue: argument, okValue: argument, isRead: false };
        }
        const expected = argument % 3;
        if (current === expected) store.set('', argument);
        return { f: 'cas', invokeValue: [expected, argument], okValue: current === expected ? 'ok' : 'fail', isRead: false };
      }
      case 'kv': {
        const current = (store.get(key) ?? '') as string;
        if (f === 'read') return { f: 'get', key, invokeValue: null, okValue: current, isRead: true };
        const text = `v${argument};`;
        store.set(key, f === 'write' ? text : current + text);
        return { f: f === 'write' ? 'put' : 'append', key, invokeValue: text, okValue: null, isRead: false };
      }
      case 'counter': {
        const current = (store.get('') ?? 0) as number;
        if (f === 'read') return { f: 'read', invokeValue: null, okValue: current, isRead: true };
        store.set('', current + argument);
        return { f: 'add', invokeValue: argument, okValue: null, isRead: false };
      }
      case 'fifo-queue':
        if (f === 'read') return { f: 'dequeue', invokeValue: null, okValue: queue.shift() ?? null, isRead: true };
        queue.push(argument);
        return { f: 'enqueue', invokeValue: argument, okValue: null, isRead: false };
    }
  });
}

export const stepsArbitrary = fc.array(
  fc.record({ f: fc.constantFrom('read', 'write', 'cas', 'append'), key: fc.constantFrom('a', 'b', 'c'), argument: fc.integer({ min: 0, max: 5 }) }),
  { minLength: 1, maxLength: 60 },
);

export interface Widening {
  readonly before: number;
  readonly after: number;
  readonly indeterminate: boolean;
}

export const wideningArbitrary = fc.array(
  fc.record({ before: fc.integer({ min: 0, max: 40 }), after: fc.integer({ min: 0, max: 40 }), indeterminate: fc.boolean() }),
  { minLength: 60, maxLength: 60 },
);

/**
 * Gives operation i the linearization point 10*i and an interval widened arbitrarily around it
 * (so intervals overlap), then assigns processes so that each process's operations do not
 * overlap. A widened non-read may be made indeterminate (it did take effect; `info` allows that).
 */
export function widenedHistory(executed: readonly Executed[], widening: readonly Widening[], keepTimeouts = true): HistoryEvent[] {
  const intervals = executed.map((operation, index) => {
    const shape = widening[index % widening.length] as Widening;
    const point = 10 * index + 100;
    return { operation, call: point - shape.before, end: point + shape.after, indeterminate: keepTimeouts && shape.indeterminate && !operation.isRead };
  });
  const busyUntil: number[] = [];
  const events: (HistoryEvent & { order: number })[] = [];
  intervals.forEach(({ operation, call, end, indeterminate }, index) => {
    let process = busyUntil.findIndex((until) => until < call);
    if (process < 0) process = busyUntil.length;
    // An indeterminate operation keeps its process busy for ever (Jepsen's rule).
    busyUntil[process] = indeterminate ? Infinity : end;
    const key = operation.key === undefined ? {} : { key: operation.key };
    events.push({ process, type: 'invoke', f: operation.f, value: operation.invokeValue, time: call, order: 2 * index, ...key });
    if (indeterminate) return;
    const type = operation.okValue === 'fail' ? 'fail' : 'ok';
    const value = operation.f === 'cas' ? operation.invokeValue : operation.okValue;
    events.push({ process, type, f: operation.f, value, time: end, order: 2 * index + 1, ...key });
  });
  events.sort((a, b) => a.time - b.time || a.order - b.order);
  return events.map(({ order: _order, ...event }) => event);
}

/** Replaces the output of the `which`-th read with a value no operation ever writes. */
export function falsifyOneRead(executed: readonly Executed[], which: number, neverWritten: Json): Executed[] | undefined {
  const reads = executed.map((operation, index) => (operation.isRead ? index : -1)).filter((index) => index >= 0);
  if (reads.length === 0) return undefined;
  const target = reads[which % reads.length] as number;
  return executed.map((operation, index) => (index === target ? { ...operation, okValue: neverWritten } : operation));
}
