import type { NodeId } from '../protocol/effects.js';
import type { Micros } from '../sim/time.js';

/**
 * A named property of a protocol, checked on live node states as the run proceeds (Stateright's
 * kinds):
 * - `always`: must hold after every step; the first violation fails the run.
 * - `eventually`: must hold by the end of the liveness phase.
 * - `sometimes`: coverage; it must have held at least once (proof the case was reached).
 *
 * Observers read states and never change them. They see a node's state as `undefined` while it
 * is down.
 */
export interface Observer<State> {
  readonly name: string;
  readonly kind: 'always' | 'eventually' | 'sometimes';
  /** Called after a node handled an input (or restarted). Return a message to report a violation. */
  afterStep?(view: ClusterView<State>, node: NodeId): string | undefined;
  /** Called when a node crashes, before its volatile state is dropped. */
  beforeCrash?(view: ClusterView<State>, node: NodeId): string | undefined;
  /** Called once at the end of the run (for `eventually` and `sometimes`). */
  atEnd?(view: ClusterView<State>): string | undefined;
}

/**
 * Tells the world which steps can matter to a protocol's observers, so it can skip them all on a
 * step that changed nothing they read (most steps: a follower acknowledging a heartbeat). One per
 * run, so it may remember what it saw. It must err towards "matters".
 */
export interface StepFilter<State> {
  matters(view: ClusterView<State>, node: NodeId): boolean;
}

export interface ClusterView<State> {
  readonly now: Micros;
  readonly nodes: readonly NodeId[];
  /** The live state of a node, or undefined while it is crashed. */
  state(node: NodeId): State | undefined;
}

export class InvariantViolation extends Error {
  override readonly name = 'InvariantViolation';
  constructor(
    readonly invariant: string,
    readonly detail: string,
  ) {
    super(`${invariant}: ${detail}`);
  }
}
