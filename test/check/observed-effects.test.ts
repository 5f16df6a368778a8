import { describe, expect, it } from 'vitest';
import { checkHistory, modelByName } from '../../src/check/index.js';
import type { HistoryEvent } from '../../src/history/operation.js';

describe('indeterminate writes that a completed operation observed', () => {
  it('an info enqueue later dequeued is searched as completed before that dequeue returned', () => {
    const history: HistoryEvent[] = [
      { process: 0, type: 'invoke', f: 'enqueue', value: 'a', time: 0 },
      { process: 0, type: 'info', f: 'enqueue', value: 'a', time: 10 },
      { process: 1, type: 'invoke', f: 'dequeue', value: null, time: 20 },
      { process: 1, type: 'ok', f: 'dequeue', value: 'a', time: 30 },
      // After the dequeue the queue is empty: an enqueue "at any later time" is ruled out.
      { process: 2, type: 'invoke', f: 'dequeue', value: null, time: 40 },
      { process: 2, type: 'ok', f: 'dequeue', value: null, time: 50 },
    ];
    const checked = checkHistory(history, modelByName('fifo-queue')!);
    expect(checked.verdict).toBe('linearizable');
  });

  it('an info add seen by a read must precede it: a read that misses it after is a violation', () => {
    const history: HistoryEvent[] = [
      { process: 0, type: 'invoke', f: 'add', value: 'x', time: 0 },
      { process: 0, type: 'info', f: 'add', value: 'x', time: 5 },
      { process: 1, type: 'invoke', f: 'read', value: null, time: 10 },
      { process: 1, type: 'ok', f: 'read', value: ['x'], time: 20 },
      { process: 2, type: 'invoke', f: 'read', value: null, time: 30 },
      { process: 2, type: 'ok', f: 'read', value: [], time: 40 },
    ];
    expect(checkHistory(history, modelByName('set')!).verdict).toBe('not linearizable');
  });
});
