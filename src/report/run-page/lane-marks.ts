import type { TraceEvent } from '../../trace/trace-event.js';
import type { StringTable } from './string-table.js';

/** What a mark on a lane stands for. */
export const MarkKind = { timer: 0, crash: 1, restart: 2, pause: 3, resume: 4, request: 5, response: 6 } as const;

/**
 * Events drawn on one lane (column-oriented, in time order). `other` is the far lane of a
 * client request or response (drawn as a connector at the moment it arrives), else -1.
 * Lanes: node i is lane i, client c is lane nodeCount + c.
 */
export interface MarkColumns {
  lane: number[];
  other: number[];
  time: number[];
  kind: number[];
  label: number[];
}

export function laneMarks(trace: readonly TraceEvent[], nodeCount: number, strings: StringTable): MarkColumns {
  const columns: MarkColumns = { lane: [], other: [], time: [], kind: [], label: [] };
  const add = (lane: number, other: number, time: number, kind: number, label: string) => {
    columns.lane.push(lane);
    columns.other.push(other);
    columns.time.push(time);
    columns.kind.push(kind);
    columns.label.push(strings.intern(label));
  };
  for (const event of trace) {
    switch (event.kind) {
      case 'timer':
        add(event.node, -1, event.time, MarkKind.timer, `timer ${event.name}`);
        break;
      case 'crash':
        add(event.node, -1, event.time, MarkKind.crash, `crash (lost writes ${event.lostWrites})`);
        break;
      case 'restart':
        add(event.node, -1, event.time, MarkKind.restart, 'restart');
        break;
      case 'pause':
        add(event.node, -1, event.time, MarkKind.pause, 'pause');
        break;
      case 'resume':
        add(event.node, -1, event.time, MarkKind.resume, `resume (queued ${event.queued})`);
        break;
      case 'request':
        add(event.node, nodeCount + event.client, event.time, MarkKind.request, `request #${event.requestId} ${event.f} from client ${event.client}`);
        break;
      case 'response':
        add(nodeCount + event.client, event.node, event.time, MarkKind.response, `response #${event.requestId} ${event.status} from n${event.node}`);
        break;
      default:
        break; // messages, client history, faults: drawn elsewhere
    }
  }
  return columns;
}
