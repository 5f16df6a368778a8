import type { TimeBudget } from '../budget.js';
import { describeOperation } from '../describe.js';
import type { AnyModel } from '../model.js';
import type { Operation } from '../operation.js';
import { mix32 } from '../value-key.js';
import { zobristKeys } from '../search/zobrist.js';
import { holds, unknownAnswer, violated, type CheckAnswer } from './models.js';

export interface SequentialLimits {
  readonly time: TimeBudget;
  readonly memoryBytes: number;
}

/** What the search reports besides the verdict. */
export interface SequentialAnswer {
  readonly answer: CheckAnswer;
  readonly configurations: number;
  /** A legal order of all determinate operations (ids), when one was found. */
  readonly order?: readonly number[];
}

const clockInterval = 1024;
/** Bytes a memo entry costs beyond its positions and states (object, arrays, map slot). */
const entryOverheadBytes = 96;

/**
 * Sequential consistency (Lamport 1979): is there one legal order of all operations that keeps
 * each process's program order? No real-time constraint, so unlike linearizability it is not
 * compositional: a history can be sequentially consistent on each key and not as a whole. The
 * search therefore runs over the whole history, with one model state per partition (key).
 *
 * A depth-first search over configurations (next position in each process, states), memoised,
 * within the time and memory budgets (`unknown` when one runs out). Two reductions keep it
 * small:
 *  - an operation that is legal now and changes no state (a read that matches) is taken at once
 *    without branching: in any legal order from here it can be moved to the front, because the
 *    operations it jumps over belong to other processes and see the same states;
 *  - the next operations are tried oldest call first, so a history that is also linearizable is
 *    usually ordered without backtracking.
 * An indeterminate (`info`) operation may be taken or skipped (it may never have happened).
 */
export function checkSequential(model: AnyModel, operations: readonly Operation[], limits: SequentialLimits): SequentialAnswer {
  const search = new SequentialSearch(model, operations, limits);
  return search.run();
}

interface Frame {
  /** Processes advanced greedily on entry (undone on backtrack), then the branch taken. */
  readonly greedy: number[];
  readonly states: unknown[];
  readonly choices: Choice[];
  next: number;
  /** The process advanced by the branch currently explored (-1: none yet). */
  taken: number;
  takenApplied: boolean;
}

interface Choice {
  readonly process: number;
  /** The states after taking it, or undefined for skipping an indeterminate operation. */
  readonly states: unknown[] | undefined;
}

interface MemoEntry {
  readonly positions: Int32Array;
  readonly states: unknown[];
}

class SequentialSearch {
  private readonly processes: Operation[][];
  private readonly partitionOf: Map<number, number>;
  private readonly partitionCount: number;
  private readonly positions: Int32Array;
  private readonly zobrist: Int32Array;
  private readonly zobristBase: Int32Array;
  private readonly memo = new Map<number, MemoEntry[]>();
  private memoBytes = 0;
  private configurations = 0;
  private placedDeterminate = 0;
  private readonly determinateCount: number;
  private readonly order: number[] = [];
  private deepest: number[] = [];
  private deepestStates: unknown[] = [];
  private deepestPositions: Int32Array;

  constructor(
    private readonly model: AnyModel,
    private readonly operations: readonly Operation[],
    private readonly limits: SequentialLimits,
  ) {
    const byProcess = new Map<number, Operation[]>();
    const partitionNames = new Map<string, number>();
    this.partitionOf = new Map();
    for (const operation of operations) {
      let list = byProcess.get(operation.process);
      if (list === undefined) byProcess.set(operation.process, (list = []));
      list.push(operation);
      const extra = model.partition?.(operation.input);
      const name = extra === undefined ? operation.key : `${operation.key}/${extra}`;
      let partition = partitionNames.get(name);
      if (partition === undefined) partitionNames.set(name, (partition = partitionNames.size));
      this.partitionOf.set(operation.id, partition);
    }
    this.processes = [...byProcess.values()].map((list) => list.sort((a, b) => a.id - b.id));
    this.partitionCount = partitionNames.size;
    this.positions = new Int32Array(this.processes.length);
    this.deepestPositions = new Int32Array(this.processes.length);
    this.determinateCount = operations.filter((operation) => operation.outcome !== 'info').length;
    // One Zobrist key per (process, position), position 0..length, for an O(1) positions hash.
    this.zobristBase = new Int32Array(this.processes.length + 1);
    this.processes.forEach((list, p) => (this.zobristBase[p + 1] = (this.zobristBase[p] as number) + list.length + 1));
    this.zobrist = zobristKeys(this.zobristBase[this.processes.length] as number);
  }

  run(): SequentialAnswer {
    const initial = Array.from({ length: this.partitionCount }, () => this.model.init());
    const stack: Frame[] = [];
    let entered: Frame | undefined = this.enter(initial);
    if (entered === undefined) return this.success();
    stack.push(entered);
    let steps = 0;
    while (stack.length > 0) {
      if (++steps % clockInterval === 0 && this.limits.time.expired()) return this.stopped('time budget');
      if (this.memoBytes > this.limits.memoryBytes) return this.stopped('memory budget');
      const frame = stack[stack.length - 1] as Frame;
      if (frame.taken >= 0) this.undoBranch(frame);
      if (frame.next >= frame.choices.length) {
        this.noteDeepest(frame);
        this.undoGreedy(frame);
        stack.pop();
        continue;
      }
      const choice = frame.choices[frame.next++] as Choice;
      this.takeBranch(frame, choice);
      entered = this.enter(choice.states ?? frame.states);
      if (entered === undefined) {
        if (this.placedDeterminate === this.determinateCount) return this.success();
        continue; // memoised: already known to fail
      }
      stack.push(entered);
    }
    return this.violation();
  }

  /** Greedy moves, then the memo; undefined when done or already seen (the caller tells which). */
  private enter(statesIn: unknown[]): Frame | undefined {
    const greedy: number[] = [];
    const states = statesIn;
    let progressed = true;
    while (progressed) {
      progressed = false;
      for (let p = 0; p < this.processes.length; p++) {
        const operation = this.nextOperation(p);
        if (operation === undefined || operation.outcome === 'info') continue;
        const partition = this.partitionOf.get(operation.id) as number;
        const state = states[partition];
        const result = this.model.step(state, operation.input, operation.output);
        if (!result.legal || !this.model.equal(result.next, state)) continue;
        this.advance(p, operation, true);
        greedy.push(p);
        progressed = true;
      }
    }
    const frame: Frame = { greedy, states, choices: [], next: 0, taken: -1, takenApplied: false };
    if (this.placedDeterminate === this.determinateCount) {
      this.noteDeepest(frame);
      return undefined;
    }
    if (!this.remember(states)) {
      this.noteDeepest(frame);
      this.undoGreedy(frame);
      return undefined;
    }
    this.configurations++;
    frame.choices.push(...this.choicesAt(states));
    return frame;
  }

  private choicesAt(states: unknown[]): Choice[] {
    const candidates: { choice: Choice; callTime: number; id: number; skip: boolean }[] = [];
    for (let p = 0; p < this.processes.length; p++) {
      const operation = this.nextOperation(p);
      if (operation === undefined) continue;
      const partition = this.partitionOf.get(operation.id) as number;
      const result = this.model.step(states[partition], operation.input, operation.output);
      if (result.legal) {
        const next = states.slice();
        next[partition] = result.next;
        candidates.push({ choice: { process: p, states: next }, callTime: operation.callTime, id: operation.id, skip: false });
      }
      if (operation.outcome === 'info') candidates.push({ choice: { process: p, states: undefined }, callTime: operation.callTime, id: operation.id, skip: true });
    }
    candidates.sort((a, b) => Number(a.skip) - Number(b.skip) || a.callTime - b.callTime || a.id - b.id);
    return candidates.map((candidate) => candidate.choice);
  }

  private nextOperation(p: number): Operation | undefined {
    return (this.processes[p] as Operation[])[this.positions[p] as number];
  }

  private advance(p: number, operation: Operation, applied: boolean): void {
    this.positions[p] = (this.positions[p] as number) + 1;
    if (operation.outcome !== 'info') this.placedDeterminate++;
    if (applied) this.order.push(operation.id);
  }

  private retreat(p: number, applied: boolean): void {
    this.positions[p] = (this.positions[p] as number) - 1;
    const operation = this.nextOperation(p) as Operation;
    if (operation.outcome !== 'info') this.placedDeterminate--;
    if (applied) this.order.pop();
  }

  private takeBranch(frame: Frame, choice: Choice): void {
    const operation = this.nextOperation(choice.process) as Operation;
    frame.taken = choice.process;
    frame.takenApplied = choice.states !== undefined;
    this.advance(choice.process, operation, frame.takenApplied);
  }

  private undoBranch(frame: Frame): void {
    this.retreat(frame.taken, frame.takenApplied);
    frame.taken = -1;
  }

  private undoGreedy(frame: Frame): void {
    for (let i = frame.greedy.length - 1; i >= 0; i--) this.retreat(frame.greedy[i] as number, true);
    frame.greedy.length = 0;
  }

  /** Adds the configuration to the memo; false when it was there already. */
  private remember(states: unknown[]): boolean {
    let hash = 0;
    for (let p = 0; p < this.processes.length; p++) hash ^= this.zobrist[(this.zobristBase[p] as number) + (this.positions[p] as number)] as number;
    for (let i = 0; i < states.length; i++) hash = (hash + mix32((this.model.hash(states[i]) as number) + i * 0x9e3779b9)) | 0;
    const bucket = this.memo.get(hash);
    if (bucket !== undefined) {
      for (const entry of bucket) {
        if (sameInts(entry.positions, this.positions) && entry.states.every((state, i) => this.model.equal(state, states[i]))) return false;
      }
    }
    const entry: MemoEntry = { positions: this.positions.slice(), states };
    if (bucket === undefined) this.memo.set(hash, [entry]);
    else bucket.push(entry);
    this.memoBytes += entryOverheadBytes + this.positions.length * 4 + states.length * 8;
    return true;
  }

  private noteDeepest(frame: Frame): void {
    if (this.order.length <= this.deepest.length && this.deepest.length > 0) return;
    this.deepest = this.order.slice();
    this.deepestStates = frame.states;
    this.deepestPositions = this.positions.slice();
  }

  private success(): SequentialAnswer {
    return { answer: holds, configurations: this.configurations, order: this.order.slice() };
  }

  private stopped(reason: 'time budget' | 'memory budget'): SequentialAnswer {
    return { answer: unknownAnswer(`${reason} ran out after ${this.configurations} configurations (longest sequential prefix ${this.deepest.length} operations)`), configurations: this.configurations };
  }

  /**
   * The deepest point the search reached: the prefix, the states, and each process's next
   * operation, none of which can follow in a way that completes the history.
   */
  private violation(): SequentialAnswer {
    const byId = new Map(this.operations.map((operation) => [operation.id, operation] as const));
    const stateText = (partition: number): string => this.model.describeState(this.deepestStates[partition]);
    const blocked: string[] = [];
    const blockedIds: number[] = [];
    this.processes.forEach((list, p) => {
      const operation = list[this.deepestPositions[p] as number];
      if (operation === undefined) return;
      const partition = this.partitionOf.get(operation.id) as number;
      const legalHere = this.model.step(this.deepestStates[partition], operation.input, operation.output).legal;
      blocked.push(`${describeOperation(this.model, operation)} (${legalHere ? 'legal there, but every continuation fails later' : `illegal in state ${stateText(partition)}`})`);
      blockedIds.push(operation.id);
    });
    const last = this.deepest.slice(-3).map((id) => describeOperation(this.model, byId.get(id) as Operation));
    const summary =
      `No order of the ${this.operations.length} operations keeps every process's program order. The longest legal order found has ${this.deepest.length} operations` +
      (last.length > 0 ? ` (ending … ${last.join(', ')})` : '') +
      `; after it the next operation of each process cannot come next: ${blocked.join('; ')}.`;
    return { answer: violated([...this.deepest.slice(-3), ...blockedIds], summary), configurations: this.configurations };
  }
}

function sameInts(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
