import type { EventType, Json } from '../history/operation.js';
import type { Message, NodeId } from '../protocol/effects.js';
import type { Micros } from '../sim/time.js';

export type DropReason = 'loss' | 'partition' | 'node-down' | 'paused-overflow';

/**
 * Everything that happens in a run, in order. Each event has one stable text rendering
 * (src/trace/render.ts) shared by the trace file, logs and reports.
 *
 * Messages are referenced, not copied: protocols must not mutate a message after sending it.
 */
export type TraceEvent =
  | { kind: 'send'; time: Micros; from: NodeId; to: NodeId; message: Message }
  | { kind: 'deliver'; time: Micros; from: NodeId; to: NodeId; message: Message }
  | { kind: 'drop'; time: Micros; from: NodeId; to: NodeId; message: Message; reason: DropReason }
  | { kind: 'duplicate'; time: Micros; from: NodeId; to: NodeId; message: Message }
  | { kind: 'timer'; time: Micros; node: NodeId; name: string }
  | { kind: 'crash'; time: Micros; node: NodeId; lostWrites: number }
  | { kind: 'restart'; time: Micros; node: NodeId }
  | { kind: 'pause'; time: Micros; node: NodeId }
  | { kind: 'resume'; time: Micros; node: NodeId; queued: number }
  | { kind: 'request'; time: Micros; client: number; node: NodeId; requestId: number; f: string }
  | { kind: 'response'; time: Micros; client: number; node: NodeId; requestId: number; status: string }
  | {
      kind: 'client';
      time: Micros;
      process: number;
      type: EventType;
      f: string;
      key: string | undefined;
      value: Json;
    }
  | { kind: 'fault'; time: Micros; phase: 'start' | 'end'; description: string; detail?: FaultDetail }
  | { kind: 'phase'; time: Micros; name: string };

/**
 * What a fault touched, for reports (fault bands): left out of the trace hash, which covers the
 * description. `entry` is the schedule entry (absent for the liveness phase's heal), so a band's
 * start and end can be paired; `links` are the directed links a partition cuts, as from/to pairs.
 */
export interface FaultDetail {
  entry: number | undefined;
  fault: string;
  nodes: NodeId[];
  links: [NodeId, NodeId][];
}

