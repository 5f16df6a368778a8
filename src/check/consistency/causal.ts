import { happensBefore, type CausalOrder } from './causal-order.js';
import { holds, violated, type CheckAnswer } from './models.js';
import { readsInitial, readsThinAir } from './register-view.js';
import type { DescribeView } from './session-guarantees.js';
import { sessionIndex } from './session-index.js';

/**
 * Causal consistency for registers with unique written values, in its weak form (WCC in
 * Bouajjani, Enea, Guerraoui and Hamza, "On verifying causal consistency", POPL 2017): the
 * causal order co = (program order ∪ reads-from)+ is acyclic, every read returns a value some
 * operation wrote, and no read returns a value overwritten in its causal past — neither the
 * initial value once a write of its key happens before it, nor a value x when some other write
 * of the key happens after x and before the read. Equivalently: the causal past of every read
 * has an order, compatible with co, in which the read returns the latest write (the oracle in
 * the tests checks exactly that).
 *
 * For each read and each writing session, only that session's latest write of the key in the
 * read's past needs looking at (an earlier one that x happens before implies the latest does
 * too), so the check is O(n · s) after the clocks.
 */
export function checkCausal(order: CausalOrder, describe: DescribeView): CheckAnswer {
  const view = order.view;
  const ids = (ops: readonly number[]): number[] => ops.map((op) => view.ids[op] as number);
  if (order.cycle !== undefined) {
    const cycle = order.cycle;
    const steps = cycle.map((op, at) => {
      const next = cycle[(at + 1) % cycle.length] as number;
      const edge = view.readsFrom[next] === op && view.isRead[next] === 1 ? 'is read by' : 'comes before, in its session,';
      return `${describe(op)} ${edge}`;
    });
    return violated(ids(cycle), `the causal order has a cycle: ${steps.join(' ')} ${describe(cycle[0] as number)}.`);
  }
  const index = sessionIndex(view);
  for (let r = 0; r < view.count; r++) {
    if (view.isRead[r] !== 1) continue;
    const x = view.readsFrom[r] as number;
    if (x === readsThinAir) return violated(ids([r]), `${describe(r)} returns a value that no operation wrote.`);
    const key = view.key[r] as number;
    for (let s = 0; s < view.processCount; s++) {
      const column = order.column[s] as number;
      if (column < 0) continue;
      const latest = index.latestKeyWrite(s, key, order.past[r * order.width + column] as number);
      if (latest < 0 || latest === x) continue;
      if (x === readsInitial) return violated(ids([latest, r]), `${describe(r)} returns the initial value although ${describe(latest)} happens before it.`);
      if (happensBefore(order, x, latest)) {
        return violated(ids([x, latest, r]), `${describe(r)} returns the value of ${describe(x)}, which was overwritten in its causal past: ${describe(x)} happens before ${describe(latest)}, which happens before the read.`);
      }
    }
  }
  return holds;
}
