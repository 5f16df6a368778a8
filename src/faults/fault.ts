import type { Micros } from '../sim/time.js';
import type { LatencyDistribution } from '../network/latency.js';

/**
 * Which nodes a fault hits. Symbolic targets are resolved when the fault fires, from the live
 * cluster and the nemesis's own random stream: `leader` asks the protocol who leads now.
 */
export type NodeTarget =
  | { kind: 'node'; node: number }
  | { kind: 'nodes'; nodes: number[] }
  | { kind: 'leader' }
  | { kind: 'random' }
  /** A random set of at most f = floor((n-1)/2) nodes. */
  | { kind: 'random-minority' }
  | { kind: 'all' }
  /** The node whose send triggered the fault (only for faults with a `trigger`). */
  | { kind: 'sender' };

/** Partition shapes as a scenario names them; node lists may be symbolic. */
export type PartitionSpec =
  | { shape: 'isolate'; target: NodeTarget }
  | { shape: 'split'; minority: NodeTarget }
  | { shape: 'bridge' }
  | { shape: 'majorities-ring' }
  | { shape: 'groups'; groups: number[][] }
  | { shape: 'one-way'; from: NodeTarget; to: NodeTarget };

/** Which links a network fault changes. */
export type LinkSelector = { kind: 'all' } | { kind: 'node'; target: NodeTarget } | { kind: 'link'; from: number; to: number };

/** Overrides for the links a network fault touches; absent fields keep their value. */
export interface LinkChange {
  latency?: LatencyDistribution;
  lossPpm?: number;
  duplicatePpm?: number;
  reorderPpm?: number;
  reorderDelay?: Micros;
  extraDelay?: Micros;
}

/** One fault. A fault with a `duration` is undone when it ends (crash → restart, partition → heal). */
export type Fault =
  | { kind: 'crash'; target: NodeTarget; tornWrite: boolean }
  | { kind: 'restart'; target: NodeTarget }
  | { kind: 'pause'; target: NodeTarget }
  | { kind: 'resume'; target: NodeTarget }
  | { kind: 'partition'; spec: PartitionSpec }
  | { kind: 'heal' }
  | { kind: 'clock'; target: NodeTarget; offset: Micros; driftPpm: number }
  | { kind: 'network'; links: LinkSelector; change: LinkChange }
  | { kind: 'corrupt'; target: NodeTarget; keyPrefix: string }
  /** A client process dies mid-operation: its operation ends `info`; it comes back as a new process. */
  | { kind: 'crash-client'; client: number | 'random' }
  /**
   * Arms a pause of one of the protocol's client nodes (its `clientPause`: a lock client): it is
   * paused right after it next reaches its dangerous moment (between its lease check and its
   * write), for the entry's duration. `client` indexes the protocol's client nodes.
   */
  | { kind: 'pause-client'; client: number | 'random' };

export type FaultKind = Fault['kind'];

/**
 * A fault on the schedule: first at `at`, then every `every` until `until` (when given), each
 * time lasting `duration` (when given) before it is undone. With a `trigger` it is not timed but
 * armed from `at` to `until` (or the end of the safety phase): it fires right after a node sends
 * a message of the given type, with the given probability — a crash just after a vote is
 * granted, a pause just after an append is acknowledged — the moments random timing rarely hits.
 */
export interface ScheduledFault {
  at: Micros;
  every?: Micros;
  until?: Micros;
  duration?: Micros;
  trigger?: SendTrigger;
  fault: Fault;
}

export interface SendTrigger {
  /** The `type` of the sent message. */
  messageType: string;
  /** Chance of firing at each such send, in parts per million. */
  probabilityPpm: number;
}

export const FAULT_KINDS: Record<FaultKind, string> = {
  crash: 'stop a node: volatile state, timers and queued input are lost; the disk survives (minus unsynced writes)',
  restart: 'start a crashed node again from its disk',
  pause: 'stop a node without losing anything (a long GC pause); input queues up',
  resume: 'continue a paused node; it handles its queued input in order',
  partition: 'cut links: isolate, split, bridge, majorities-ring, groups, one-way',
  heal: 'restore every cut link',
  clock: "step a node's clock by an offset and set its drift (ppm)",
  network: 'change link settings: latency, loss, duplication, reordering, extra delay',
  corrupt: 'corrupt a durable record on disk; the protocol must notice on restart',
  'crash-client': "kill a client mid-operation: its operation is recorded info, it returns as a new process",
  'pause-client': "pause one of the protocol's client nodes (a lock client) right after its lease check, before its write, for `for` (a long GC pause where it hurts)",
};
