import { type RegisterView } from './register-view.js';

/**
 * The causal order of a register view: co = (program order ∪ reads-from)+, answered in O(1) per
 * query by vector clocks.
 *
 * Every query asks whether a write happens before an operation, so the clocks have one entry per
 * session that writes: `past[op * width + d]` is the highest program-order position of session d
 * among the operations that happen before op (-1: none). Program order is part of co, so an
 * earlier write of d happens before op exactly when its position is at most that entry.
 * Cycles (a read that returns a value from its own causal future) are collapsed into strongly
 * connected components first; every operation of a cycle happens before every other and itself.
 */
export interface CausalOrder {
  readonly view: RegisterView;
  /** Clock entries per operation: the number of sessions that write. */
  readonly width: number;
  /** Clock column of each session, or -1 for a session without writes. */
  readonly column: Int32Array;
  readonly past: Int32Array;
  /** A cycle of co (view indices, each followed by its successor), or undefined when acyclic. */
  readonly cycle: readonly number[] | undefined;
}

export type CausalOrderResult = { readonly kind: 'order'; readonly order: CausalOrder } | { readonly kind: 'too large'; readonly bytes: number };

/** Does write `a` happen before operation `b` (a co b)? `a` must be a write. */
export function happensBefore(order: CausalOrder, a: number, b: number): boolean {
  const view = order.view;
  const column = order.column[view.session[a] as number] as number;
  return (order.past[b * order.width + column] as number) >= (view.position[a] as number);
}

/** Builds the clocks, or says how many bytes they would need when that exceeds `memoryBytes`. */
export function causalOrder(view: RegisterView, memoryBytes: number): CausalOrderResult {
  const column = new Int32Array(view.processCount).fill(-1);
  let width = 0;
  for (let index = 0; index < view.count; index++) {
    const s = view.session[index] as number;
    if (view.isWrite[index] === 1 && column[s] === -1) column[s] = width++;
  }
  const bytes = view.count * Math.max(width, 1) * 4;
  if (bytes > memoryBytes) return { kind: 'too large', bytes };
  const graph = successorGraph(view);
  const { component, order: topological } = stronglyConnected(graph, view.count);
  const past = new Int32Array(view.count * width).fill(-1);
  let cycle: number[] | undefined;
  const merged = new Int32Array(width);
  const absorb = (op: number, before: number): void => {
    if (component[before] === component[op]) return;
    joinInto(merged, past, before * width, width);
    const d = column[view.session[before] as number] as number;
    if (d >= 0 && (merged[d] as number) < (view.position[before] as number)) merged[d] = view.position[before] as number;
  };
  // Components in topological order: every predecessor's clock is final before it is read.
  for (let c = topological.length - 1; c >= 0; c--) {
    const members = topological[c] as number[];
    merged.fill(-1);
    for (const op of members) {
      const p = view.position[op] as number;
      if (p > 0) absorb(op, (view.sessionOperations[view.session[op] as number] as Int32Array)[p - 1] as number);
      const from = view.readsFrom[op] as number;
      if (view.isRead[op] === 1 && from >= 0 && from !== op) absorb(op, from);
    }
    if (members.length > 1) {
      // In a cycle every member happens before every member, itself included.
      for (const op of members) {
        const d = column[view.session[op] as number] as number;
        if (d >= 0 && (merged[d] as number) < (view.position[op] as number)) merged[d] = view.position[op] as number;
      }
      cycle ??= findCycle(graph, component, members[0] as number);
    }
    for (const op of members) past.set(merged, op * width);
  }
  return { kind: 'order', order: { view, width, column, past, cycle } };
}

function joinInto(target: Int32Array, source: Int32Array, offset: number, width: number): void {
  for (let d = 0; d < width; d++) {
    const value = source[offset + d] as number;
    if (value > (target[d] as number)) target[d] = value;
  }
}

/** Successors in CSR form: program-order successor, then the reads that read from the op. */
interface Graph {
  readonly start: Int32Array;
  readonly targets: Int32Array;
}

/** The next free slot of `node`'s run in a CSR target array, advancing it. */
function takeSlot(fill: Int32Array, node: number): number {
  const slot = fill[node] as number;
  fill[node] = slot + 1;
  return slot;
}

function successorGraph(view: RegisterView): Graph {
  const start = new Int32Array(view.count + 1);
  const nextInSession = (op: number): number => {
    const list = view.sessionOperations[view.session[op] as number] as Int32Array;
    return (list[(view.position[op] as number) + 1] as number | undefined) ?? -1;
  };
  // Degrees first (program-order successor, then each read of the op's write), then targets.
  for (let op = 0; op < view.count; op++) {
    if (nextInSession(op) >= 0) start[op + 1] = (start[op + 1] as number) + 1;
    const from = view.readsFrom[op] as number;
    if (view.isRead[op] === 1 && from >= 0 && from !== op) start[from + 1] = (start[from + 1] as number) + 1;
  }
  for (let i = 0; i < view.count; i++) start[i + 1] = (start[i + 1] as number) + (start[i] as number);
  const fill = start.slice(0, view.count);
  const targets = new Int32Array(start[view.count] as number);
  for (let op = 0; op < view.count; op++) {
    const next = nextInSession(op);
    if (next >= 0) targets[takeSlot(fill, op)] = next;
    const from = view.readsFrom[op] as number;
    if (view.isRead[op] === 1 && from >= 0 && from !== op) targets[takeSlot(fill, from)] = op;
  }
  return { start, targets };
}

/**
 * Tarjan's algorithm without recursion (histories have 100,000 operations). Components come out
 * in reverse topological order.
 */
function stronglyConnected(graph: Graph, count: number): { component: Int32Array; order: number[][]; componentSize: Int32Array } {
  const index = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const component = new Int32Array(count).fill(-1);
  const stack: number[] = [];
  const order: number[][] = [];
  const callStack: number[] = [];
  const edgeCursor = new Int32Array(count);
  let counter = 0;
  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    callStack.push(root);
    index[root] = low[root] = counter++;
    edgeCursor[root] = graph.start[root] as number;
    stack.push(root);
    onStack[root] = 1;
    while (callStack.length > 0) {
      const v = callStack[callStack.length - 1] as number;
      const cursor = edgeCursor[v] as number;
      if (cursor < (graph.start[v + 1] as number)) {
        edgeCursor[v] = cursor + 1;
        const w = graph.targets[cursor] as number;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          edgeCursor[w] = graph.start[w] as number;
          stack.push(w);
          onStack[w] = 1;
          callStack.push(w);
        } else if (onStack[w] === 1 && (index[w] as number) < (low[v] as number)) {
          low[v] = index[w] as number;
        }
        continue;
      }
      callStack.pop();
      if (callStack.length > 0) {
        const parent = callStack[callStack.length - 1] as number;
        if ((low[v] as number) < (low[parent] as number)) low[parent] = low[v] as number;
      }
      if (low[v] === index[v]) {
        const members: number[] = [];
        let w: number;
        do {
          w = stack.pop() as number;
          onStack[w] = 0;
          component[w] = order.length;
          members.push(w);
        } while (w !== v);
        order.push(members.sort((a, b) => a - b));
      }
    }
  }
  const componentSize = Int32Array.from(order.map((members) => members.length));
  return { component, order, componentSize };
}

/** A shortest cycle through `start` inside its component (breadth-first). */
function findCycle(graph: Graph, component: Int32Array, start: number): number[] {
  const parent = new Map<number, number>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head] as number;
    for (let e = graph.start[v] as number; e < (graph.start[v + 1] as number); e++) {
      const w = graph.targets[e] as number;
      if (component[w] !== component[start]) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(parent.get(path[0] as number) as number);
        return path;
      }
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}
