import type { Json } from '../history/operation.js';
import type { RandomStream } from '../random/random-stream.js';
import type { Micros } from '../sim/time.js';
import type { ClientRequest, ClientResponse } from './client-types.js';
import type { Effect, Message, NodeId } from './effects.js';

/** What a node finds on its disk when it starts. A corrupt record must be noticed, not served. */
export type DurableRecord = { kind: 'missing' } | { kind: 'value'; value: Json } | { kind: 'corrupt' };

export interface DurableReader {
  read(key: string): DurableRecord;
  /** Every key on disk (including corrupt ones), sorted. */
  keys(): string[];
}

/**
 * The handle a protocol handler gets. Reading `now` and drawing from `random` are the only ways
 * to observe time and chance; every other method only records an effect.
 */
export interface NodeContext<M extends Message = Message> {
  readonly id: NodeId;
  /** Every node of the cluster, this one included, ascending. */
  readonly nodes: readonly NodeId[];
  /** The node's local clock: simulated time seen through this node's skew and drift. */
  readonly now: Micros;
  /** This node's own random stream: draws here shift no other node's. */
  readonly random: RandomStream;
  send(to: NodeId, message: M): void;
  /** Arms (or re-arms) the named timer to fire after `delay` of this node's local time. */
  setTimer(name: string, delay: Micros): void;
  cancelTimer(name: string): void;
  /** Writes `value` under `key` on the node's disk; `undefined` deletes the key. */
  persist(key: string, value: Json | undefined): void;
  reply(requestId: number, response: ClientResponse): void;
}

/**
 * A protocol is a set of pure reactions. `State` is the node's volatile memory: the host drops it
 * on crash and calls `init` again on restart, with only the disk to go by.
 *
 * The same object could be driven by a real network: nothing here knows about the simulator.
 */
export interface Protocol<State = unknown, M extends Message = Message, Options = unknown> {
  readonly name: string;
  /** One line for `faultline list`. */
  readonly description: string;
  /** Validates and completes the scenario's `protocol.options`; throws `OptionsError` on bad input. */
  parseOptions(raw: unknown): Options;
  init(context: NodeContext<M>, disk: DurableReader, options: Options): State;
  onMessage(state: State, from: NodeId, message: M, context: NodeContext<M>): void;
  onTimer(state: State, name: string, context: NodeContext<M>): void;
  onClientRequest(state: State, request: ClientRequest, context: NodeContext<M>): void;
  /**
   * True when a retried request (same clientId and sequence) is applied at most once. Clients
   * retry writes after a timeout only against such protocols; elsewhere the op ends as `info`.
   */
  readonly deduplicatesRetries: boolean;
  /** Whether this node currently believes it leads (for the nemesis's `leader` target). */
  isLeader?(state: State): boolean;
  /** A stable one-line rendering of a message for traces and transcripts. */
  renderMessage(message: M): string;
  /** Named invariant observers for this protocol (see src/invariants). */
  observers?(options: Options): import('../invariants/observer.js').Observer<State>[];
  /** Which steps those observers need to see (default: all); called once per run. */
  stepFilter?(options: Options): import('../invariants/observer.js').StepFilter<State>;
}

export type AnyProtocol = Protocol<any, any, any>;

/** Thrown by `parseOptions`; `path` is relative to `protocol.options`. */
export class OptionsError extends Error {
  override readonly name = 'OptionsError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

export type { Effect };
