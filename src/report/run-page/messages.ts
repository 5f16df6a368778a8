import type { Message } from '../../protocol/effects.js';
import type { MessageRenderer } from '../../trace/render.js';
import type { DropReason, TraceEvent } from '../../trace/trace-event.js';
import type { StringTable } from './string-table.js';

/** How a message copy ended, as the page colours it. */
export const MessageFate = { delivered: 0, loss: 1, partition: 2, nodeDown: 3, pausedOverflow: 4, inFlight: 5 } as const;

/** Marks on an arrow, as bits. */
export const MessageFlag = { duplicate: 1, reordered: 2, held: 4 } as const;

const dropFate: Record<DropReason, number> = {
  loss: MessageFate.loss,
  partition: MessageFate.partition,
  'node-down': MessageFate.nodeDown,
  'paused-overflow': MessageFate.pausedOverflow,
};

/** Every message copy as one arrow, in send order (column-oriented). */
export interface MessageColumns {
  from: number[];
  to: number[];
  send: number[];
  /** Delivery or drop time; the run's end for a copy still in flight. */
  end: number[];
  label: number[];
  type: number[];
  fate: number[];
  flags: number[];
}

/**
 * Pairs each send (and each duplicate) with its delivery or drop. The trace references message
 * objects rather than copying them, so a copy is found by identity, then by link; copies of one
 * message on one link are interchangeable, so the oldest is taken.
 */
export function pairMessages(trace: readonly TraceEvent[], renderMessage: MessageRenderer, strings: StringTable, runEnd: number): MessageColumns {
  const columns: MessageColumns = { from: [], to: [], send: [], end: [], label: [], type: [], fate: [], flags: [] };
  const open = new Map<Message, number[]>();
  const labels = new Map<Message, number>();
  const add = (event: { time: number; from: number; to: number; message: Message }, flags: number) => {
    let label = labels.get(event.message);
    if (label === undefined) {
      label = strings.intern(renderMessage(event.message));
      labels.set(event.message, label);
    }
    const id = columns.send.length;
    columns.from.push(event.from);
    columns.to.push(event.to);
    columns.send.push(event.time);
    columns.end.push(runEnd);
    columns.label.push(label);
    columns.type.push(strings.intern(event.message.type));
    columns.fate.push(MessageFate.inFlight);
    columns.flags.push(flags);
    const copies = open.get(event.message);
    if (copies === undefined) open.set(event.message, [id]);
    else copies.push(id);
  };
  const close = (event: { time: number; from: number; to: number; message: Message }, fate: number) => {
    const copies = open.get(event.message);
    if (copies === undefined) return; // a message sent before the trace began: nothing to pair
    const position = copies.findIndex((id) => columns.from[id] === event.from && columns.to[id] === event.to);
    if (position < 0) return;
    const id = copies[position]!;
    copies.splice(position, 1);
    if (copies.length === 0) {
      open.delete(event.message);
      labels.delete(event.message);
    }
    columns.end[id] = event.time;
    columns.fate[id] = fate;
  };
  for (const event of trace) {
    switch (event.kind) {
      case 'send':
        add(event, 0);
        break;
      case 'duplicate':
        add(event, MessageFlag.duplicate);
        break;
      case 'deliver':
        close(event, MessageFate.delivered);
        break;
      case 'drop':
        close(event, dropFate[event.reason]);
        break;
      default:
        break; // not a message event
    }
  }
  markReordered(columns);
  return columns;
}

/** A delivered copy that arrives after a copy sent later on the same link was overtaken. */
function markReordered(columns: MessageColumns): void {
  const delivered: number[] = [];
  for (let id = 0; id < columns.send.length; id++) if (columns.fate[id] === MessageFate.delivered) delivered.push(id);
  delivered.sort((a, b) => columns.end[a]! - columns.end[b]! || a - b);
  const latestSendOnLink = new Map<number, number>();
  for (const id of delivered) {
    const link = columns.from[id]! * 65536 + columns.to[id]!;
    const latest = latestSendOnLink.get(link);
    if (latest !== undefined && latest > columns.send[id]!) columns.flags[id]! |= MessageFlag.reordered;
    else latestSendOnLink.set(link, columns.send[id]!);
  }
}

/** Marks delivered copies whose flight overlapped a cut of their link: in `hold` mode they waited. */
export function markHeld(columns: MessageColumns, cuts: readonly { start: number; end: number; links: readonly [number, number][] }[]): void {
  const windows = new Map<number, { start: number; end: number }[]>();
  for (const cut of cuts) {
    for (const [from, to] of cut.links) {
      const link = from * 65536 + to;
      const list = windows.get(link) ?? [];
      list.push({ start: cut.start, end: cut.end });
      windows.set(link, list);
    }
  }
  if (windows.size === 0) return;
  for (let id = 0; id < columns.send.length; id++) {
    if (columns.fate[id] !== MessageFate.delivered) continue;
    const list = windows.get(columns.from[id]! * 65536 + columns.to[id]!);
    if (list === undefined) continue;
    if (list.some((window) => window.start <= columns.end[id]! && window.end >= columns.send[id]!)) columns.flags[id]! |= MessageFlag.held;
  }
}
