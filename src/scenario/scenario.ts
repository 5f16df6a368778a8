import type { ScheduledFault } from '../faults/fault.js';
import type { LinkSettings, PartitionMode } from '../network/link.js';
import type { ClientOperation } from '../protocol/client-types.js';
import type { Micros } from '../sim/time.js';

/** The verdicts a run can end with; `expect` in a scenario names one of them. */
import type { ConsistencyModel } from '../check/consistency/models.js';

/** `internal`: a bug in faultline itself (the simulator broke its own rules); never expected. */
export type VerdictKind = 'pass' | 'not-linearizable' | 'inconsistent' | 'invariant' | 'assertion' | 'internal' | 'liveness' | 'limit' | 'unknown';

export type WorkloadKind = 'register' | 'cas-register' | 'kv' | 'counter' | 'set' | 'queue' | 'lock' | 'bank';

/** The simulated clients and what they ask (see src/workload). */
export interface WorkloadSpec {
  kind: WorkloadKind;
  clients: number;
  /** Relative weights of operation kinds, e.g. {read: 2, write: 1}. */
  mix: Record<string, number>;
  keys: number;
  /** Percent of operations that go to key 0 (a hot key); the rest are uniform. */
  hotKeyPercent: number;
  /** Closed loop: pause between one completion and the next invocation. */
  thinkTime: Micros;
  /** Open loop when set: each client invokes at this rate per simulated second (if idle). */
  ratePerSecond: number | undefined;
  requestTimeout: Micros;
  /** Attempts per operation (on timeouts or redirects) before it is given up. */
  maxAttempts: number;
  /** Which node a client sends each attempt to (see `ClientConnection`). */
  connection: ClientConnection;
  /** Stop each client after this many operations (undefined: run for the whole duration). */
  operationsPerClient: number | undefined;
  /** When set, client i invokes exactly `script[i]`, in order, then stops (see `faultline shrink`). */
  script?: ScriptedOperation[][];
}

/**
 * How a client picks the node for each attempt:
 * - `follow-leader`: start at node (client mod nodes), follow redirect hints, move to the next node
 *   after a timeout (what a leader-based client library does);
 * - `sticky`: every attempt goes to the client's home node (client mod nodes), whatever it answers:
 *   a session bound to one server, as a ZooKeeper client or a follower-read cache is;
 * - `hop`: each new operation starts at the next node in turn (home + operation number), then
 *   behaves as `follow-leader`: a load-balanced client that lands on a different server each time.
 */
export const clientConnections = ['follow-leader', 'sticky', 'hop'] as const;
export type ClientConnection = (typeof clientConnections)[number];

/** A scripted client operation; `at` (when set) is the earliest time the client invokes it. */
export interface ScriptedOperation extends ClientOperation {
  at?: Micros;
}

export interface Scenario {
  name: string;
  description: string;
  /** The file it came from, for messages and replay. */
  file: string | undefined;
  /** The text it was parsed from: stored in result.json so a replay needs nothing else. */
  source: string;
  seed: number;
  nodes: number;
  protocol: { name: string; options: unknown; rawOptions: unknown };
  network: { defaults: LinkSettings; partitionMode: PartitionMode };
  disk: { syncDelay: Micros };
  workload: WorkloadSpec;
  faults: ScheduledFault[];
  /** Swarm mode: the seed draws the fault mix (see src/faults/swarm.ts). */
  swarm: boolean;
  /** Length of the safety phase: workload and faults run this long. */
  duration: Micros;
  /**
   * When set, a liveness phase follows: everything heals (or only `core`: those nodes come back
   * and can talk to each other, the rest stay as they are, cut off) and every client must be
   * served within `bound`.
   */
  liveness: { bound: Micros; core: number[] | undefined } | undefined;
  limits: { events: number };
  /** `consistency`: the model the scenario promises (docs/consistency.md); undefined: linearizable, no ladder. */
  /**
   * `convergence`: after the run (and its liveness phase), heal everything, stop the clients, let
   * the system run this much longer, then check that every replica holds the same data and that
   * it reflects every acknowledged write (check/consistency/convergence.ts).
   */
  check: { model: string | undefined; invariants: boolean; consistency: ConsistencyModel | undefined; convergence?: Micros };
  expect: VerdictKind;
}
