import type { NodeId } from '../protocol/effects.js';
import type { NodeSummary } from '../protocol/protocol.js';
import type { Micros } from './time.js';

/** One change of a node's summary: what the node state lane of the run report draws. */
export interface StateChange {
  time: Micros;
  node: NodeId;
  summary: NodeSummary;
}

/** What a crashed node shows until it restarts. */
const DOWN: NodeSummary = { role: 'down', epoch: 0, leader: null, commit: 0 };

/**
 * The protocol's state summary of every node after each of its steps, kept only when it changed
 * (and only when the run keeps its trace, for reports). Outside the trace: recording it changes
 * no trace hash, and the protocol's `summarizeState` must not change the state it reads.
 */
export class StateTimeline {
  readonly changes: StateChange[] = [];
  private readonly last: string[];

  constructor(
    private readonly summarize: (state: unknown) => NodeSummary,
    nodeCount: number,
  ) {
    this.last = new Array<string>(nodeCount).fill('');
  }

  /** After a step of `node`, whose volatile state is `state`. */
  note(time: Micros, node: NodeId, state: unknown): void {
    this.push(time, node, this.summarize(state));
  }

  /** The node crashed: its volatile state is gone. */
  down(time: Micros, node: NodeId): void {
    this.push(time, node, DOWN);
  }

  private push(time: Micros, node: NodeId, summary: NodeSummary): void {
    const key = `${summary.role}\u0000${summary.epoch}\u0000${summary.leader}\u0000${summary.commit}\u0000${summary.detail ?? ''}`;
    if (key === this.last[node]) return;
    this.last[node] = key;
    this.changes.push({ time, node, summary: { ...summary } });
  }
}
