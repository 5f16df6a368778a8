import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHistory, modelByName } from '../../src/check/index.js';
import type { HistoryEvent, Json } from '../../src/history/operation.js';
import { historyArbitrary } from './random-histories.js';

/**
 * Rewrites a random history so that every write writes its own value: the n-th write invoked
 * writes `w<n>`, and a read that returned the small value v now returns the value of the v-th
 * write (or a value nobody writes when there is none), so reads still often match a write and
 * both verdicts occur. kv appends become puts (the fast path covers get and put only).
 */
function withUniqueValues(history: readonly HistoryEvent[], model: string): HistoryEvent[] {
  const writeF = model === 'kv' ? 'put' : 'write';
  const readF = model === 'kv' ? 'get' : 'read';
  const initial: Json = model === 'kv' ? '' : null;
  const writes: string[] = [];
  const openWrite = new Map<number, string>();
  const events = history.map((event) => (model === 'kv' && event.f === 'append' ? { ...event, f: 'put' } : event));
  for (const event of events) if (event.type === 'invoke' && event.f === writeF) writes.push(`w${writes.length + 1}`);
  let written = 0;
  return events.map((event) => {
    if (event.f === writeF) {
      if (event.type === 'invoke') {
        const value = writes[written++] as string;
        openWrite.set(event.process, value);
        return { ...event, value };
      }
      return { ...event, value: openWrite.get(event.process) as string };
    }
    if (event.f === readF && event.type === 'ok') {
      const small = typeof event.value === 'number' ? event.value : typeof event.value === 'string' ? event.value.length : 0;
      const value: Json = small === 0 ? initial : (writes[small - 1] ?? 'never written');
      return { ...event, value };
    }
    return event;
  });
}

describe('unique-value fast path (zones)', () => {
  for (const name of ['register', 'cas-register', 'kv']) {
    it(`${name}: on random histories with unique written values, the fast path's verdict equals the search's`, () => {
      const model = modelByName(name)!;
      const seen = { linearizable: 0, 'not linearizable': 0, fast: 0 };
      fc.assert(
        fc.property(historyArbitrary(name === 'cas-register' ? 'register' : name, 10), (raw) => {
          const history = withUniqueValues(raw, name);
          const searched = checkHistory(history, model, { timeoutMs: 10_000, searchOnly: true });
          fc.pre(searched.verdict !== 'unknown');
          const fast = checkHistory(history, model, { timeoutMs: 10_000 });
          expect(fast.verdict).toBe(searched.verdict);
          const decidedFast = fast.partitions.some((partition) => partition.decidedBy === 'unique values');
          if (decidedFast) seen.fast++;
          seen[fast.verdict as 'linearizable' | 'not linearizable']++;
          for (const partition of fast.partitions) {
            if (partition.decidedBy === 'unique values' && partition.verdict === 'not linearizable') {
              // The explanation names the operations at fault, and they exist.
              expect(partition.violation.culprits?.length).toBeGreaterThan(0);
              for (const id of partition.violation.culprits ?? []) expect(partition.violation.summary).toContain(`#${id} `);
            }
          }
        }),
        { numRuns: 600 },
      );
      expect(seen.fast).toBeGreaterThan(300);
      expect(seen.linearizable).toBeGreaterThan(50);
      expect(seen['not linearizable']).toBeGreaterThan(50);
    });
  }

  it('a stale read: the write it read was overwritten by a write that completed before the read began', () => {
    // w1 [1,2] writes a; w2 [3,4] writes b; the read [5,6] returns a. w1 < w2 < read in real
    // time, so a was no longer current: not linearizable, and the fast path says why.
    const history: HistoryEvent[] = [
      { process: 0, type: 'invoke', f: 'write', value: 'a', time: 1 },
      { process: 0, type: 'ok', f: 'write', value: 'a', time: 2 },
      { process: 1, type: 'invoke', f: 'write', value: 'b', time: 3 },
      { process: 1, type: 'ok', f: 'write', value: 'b', time: 4 },
      { process: 2, type: 'invoke', f: 'read', value: null, time: 5 },
      { process: 2, type: 'ok', f: 'read', value: 'a', time: 6 },
    ];
    const result = checkHistory(history, modelByName('register')!);
    expect(result.verdict).toBe('not linearizable');
    const partition = result.partitions[0]!;
    expect(partition.decidedBy).toBe('unique values');
    if (partition.verdict !== 'not linearizable') throw new Error('expected a violation');
    // The write of b falls inside the span where the register must hold "a" (from w1's return to the read's invocation).
    expect(partition.violation.summary).toContain('#1 p1 write "b"');
    expect(partition.violation.culprits).toEqual([0, 2, 1]);
  });

  it('an indeterminate write that a read observed took effect; one nobody read is dropped', () => {
    // p0's write of a never completes but p1 reads a, so it took effect before that read;
    // p2's write of c never completes and nobody reads c: it is left out.
    const history: HistoryEvent[] = [
      { process: 0, type: 'invoke', f: 'write', value: 'a', time: 1 },
      { process: 2, type: 'invoke', f: 'write', value: 'c', time: 2 },
      { process: 1, type: 'invoke', f: 'read', value: null, time: 10 },
      { process: 1, type: 'ok', f: 'read', value: 'a', time: 11 },
    ];
    const result = checkHistory(history, modelByName('register')!);
    expect(result.verdict).toBe('linearizable');
    const partition = result.partitions[0]!;
    expect(partition.decidedBy).toBe('unique values');
    if (partition.verdict !== 'linearizable') throw new Error('expected linearizable');
    expect(partition.linearization).toEqual([0, 2]);
  });

  it('repeated values that are read, or a cas, leave the partition to the search', () => {
    const repeated: HistoryEvent[] = [
      { process: 0, type: 'invoke', f: 'write', value: 1, time: 1 },
      { process: 0, type: 'ok', f: 'write', value: 1, time: 2 },
      { process: 0, type: 'invoke', f: 'write', value: 1, time: 3 },
      { process: 0, type: 'ok', f: 'write', value: 1, time: 4 },
      { process: 0, type: 'invoke', f: 'read', value: null, time: 5 },
      { process: 0, type: 'ok', f: 'read', value: 1, time: 6 },
    ];
    expect(checkHistory(repeated, modelByName('register')!).partitions[0]!.decidedBy).toBe('search');
    const cas: HistoryEvent[] = [
      { process: 0, type: 'invoke', f: 'cas', value: [null, 1], time: 1 },
      { process: 0, type: 'ok', f: 'cas', value: [null, 1], time: 2 },
    ];
    expect(checkHistory(cas, modelByName('cas-register')!).partitions[0]!.decidedBy).toBe('search');
  });
});
