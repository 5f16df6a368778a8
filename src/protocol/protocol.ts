import type { Json } from '../history/operation.js';
import type { RandomStream } from '../random/random-stream.js';
import type { Micros } from '../sim/time.js';
import type { ClientRequest, ClientResponse } from './client-types.js';
import type { Effect, Message, NodeId } from './effects.js';
import type { OptionsSpec } from './options.js';

/** What a node finds on its disk when it starts. A corrupt record must be noticed, not served. */
export type DurableRecord = { kind: 'missing' } | { kind: 'value'; value: Json } | { kind: 'corrupt' };

export interface DurableReader {
  read(key: string): DurableRecord;
  /** Every key on disk (including corrupt ones), sorted. */
  keys(): string[];
}

/**
 * What a protocol declares by name: each name with one line of documentation. Writing the table
 * as an object over the union makes the compiler insist on every member and nothing else.
 */
export type Declarations<Name extends string> = { readonly [K in Name]: string };

/**
 * The handle a protocol handler gets. Reading `now` and drawing from `random` are the only ways
 * to observe time and chance; every other method only records an effect.
 *
 * Rules the host enforces with assertions (a violation fails the run with its seed):
 * - a node never sends to itself;
 * - every message's `type`, every timer name and every mark is one the protocol declared;
 * - timer delays are non-negative integers;
 * - a sent message or a persisted value is frozen deeply as it is handed over (a later write to
 *   it throws): send or persist a copy of what you keep changing (src/protocol/hand-over.ts).
 */
export interface NodeContext<M extends Message = Message, Timer extends string = string, Mark extends string = string> {
  readonly id: NodeId;
  /** Every node of the cluster, this one included, ascending. */
  readonly nodes: readonly NodeId[];
  /** The node's local clock: simulated time seen through this node's skew and drift. */
  readonly now: Micros;
  /** This node's own random stream: draws here shift no other node's. */
  readonly random: RandomStream;
  send(to: NodeId, message: M): void;
  /** Arms (or re-arms) the named timer to fire after `delay` of this node's local time. */
  setTimer(name: Timer, delay: Micros): void;
  cancelTimer(name: Timer): void;
  /** Writes `value` under `key` on the node's disk; `undefined` deletes the key. */
  persist(key: string, value: Json | undefined): void;
  reply(requestId: number, response: ClientResponse): void;
  /**
   * Counts a coverage mark: this run reached a named point of the protocol (TigerBeetle's
   * coverage marks). Counted outside the trace, so marking changes no trace hash; sweeps report
   * which marks their seeds reached.
   */
  mark(name: Mark): void;
}

/** What a node's state looks like at a glance, for reports (the node state lane). */
export interface NodeSummary {
  /** `leader`, `follower`, `primary`, `backup`, … */
  role: string;
  /** The protocol's epoch: Raft's term, Paxos's ballot, Zab's epoch, a view number. */
  epoch: number;
  /** Who this node believes leads, if anyone. */
  leader: NodeId | null;
  /** How far this node knows the log (or state) is committed. */
  commit: number;
  detail?: string;
}

/**
 * A protocol is a set of pure reactions. `State` is the node's volatile memory: the host drops it
 * on crash and calls `init` again on restart, with only the disk to go by.
 *
 * The same object could be driven by a real network: nothing here knows about the simulator.
 *
 * Clients: client i sends its first request to node i mod n, follows a `redirect`'s leader hint
 * (or tries the next node without one), and moves on to the next node after a timeout. The
 * history records `ok` with the response's value; `fail` when the protocol answered `fail` (the
 * operation certainly did not happen); `info` when the outcome is unknown (an `unknown` reply, a
 * timeout, a crash, or a retry against a protocol that does not deduplicate).
 */
export interface Protocol<State = unknown, M extends Message = Message, Options = unknown, Timer extends string = string, Mark extends string = string> {
  readonly name: string;
  /** One line for `faultline list`. */
  readonly description: string;
  /** The options a scenario may set under `protocol.options` (see `defineOptions`). */
  readonly options: OptionsSpec<Options>;
  /** Every message type the protocol sends; scenarios may name them (`after: { send: … }`). */
  readonly messages: Declarations<M['type']>;
  readonly timers: Declarations<Timer>;
  /**
   * The workload kinds it serves (`workload.kind`); by default every kind of the shared
   * key-value service (all but `bank`).
   */
  readonly workloads?: readonly string[];
  /** Coverage marks the protocol may reach (see `NodeContext.mark`). */
  readonly marks?: Declarations<Mark>;
  init(context: NodeContext<M, Timer, Mark>, disk: DurableReader, options: Options): State;
  onMessage(state: State, from: NodeId, message: M, context: NodeContext<M, Timer, Mark>): void;
  onTimer(state: State, name: Timer, context: NodeContext<M, Timer, Mark>): void;
  onClientRequest(state: State, request: ClientRequest, context: NodeContext<M, Timer, Mark>): void;
  /**
   * True when a retried request (same clientId and sequence) is applied at most once. Clients
   * retry writes after a timeout only against such protocols; elsewhere the op ends as `info`.
   */
  readonly deduplicatesRetries: boolean;
  /**
   * Nodes that act as clients of the rest of the system (lock clients) and the mark each reaches
   * at its dangerous moment (`doc` says where: "between its lease check and its write"). The
   * `pause-client` fault pauses such a client right after it reaches that mark; a scenario naming
   * `pause-client` for a protocol without client nodes is refused at load.
   */
  readonly clientPause?: { readonly mark: Mark; readonly doc: string; clients(nodes: readonly NodeId[], options: Options): NodeId[] };
  /** Whether this node currently believes it leads (for the nemesis's `leader` target). */
  isLeader?(state: State): boolean;
  /** A stable one-line rendering of a message for traces and transcripts. */
  renderMessage(message: M): string;
  /** The node's state at a glance, for reports; must not change the state. */
  summarizeState?(state: State): NodeSummary;
  /**
   * The data this node would serve clients (key → value, absent = never written), read once at
   * the end of a run for the convergence check (`check: { convergence: … }`); undefined when the
   * node holds no replica (a coordinator, a node quarantined by a corrupt disk). Must not change
   * the state; the caller does not keep the map past the check.
   */
  replicaData?(state: State): ReadonlyMap<string, Json> | undefined;
  /**
   * Named invariant observers for this protocol (see src/invariants). Called once per run, so an
   * observer may keep state across the run's steps.
   */
  observers?(options: Options): import('../invariants/observer.js').Observer<State>[];
  /** Which steps those observers need to see (default: all); called once per run. */
  stepFilter?(options: Options): import('../invariants/observer.js').StepFilter<State>;
  /**
   * What the protocol measures in a run (detection times, unavailability windows), reported in
   * the run summary and pooled per scenario by sweeps; called once per run. Never fails a run.
   */
  meter?(options: Options): import('../invariants/meter.js').Meter<State>;
}

export type AnyProtocol = Protocol<any, any, any, any, any>;

export { OptionsError } from './options.js';
export type { Effect };
