import type { HistoryEvent, Json } from '../../src/history/operation.js';

/**
 * One operation of a crafted history: process, function, value (a write's value or the value a
 * read returned), interval [call, ret] in any time unit, and how it ended (`open`: never).
 */
export interface Op {
  readonly p: number;
  readonly f: string;
  readonly v: Json;
  readonly call: number;
  readonly ret: number;
  readonly key?: string;
  readonly type?: 'ok' | 'fail' | 'info' | 'open';
}

/** Turns crafted operations into a history in time order (invocations first on ties). */
export function history(ops: readonly Op[]): HistoryEvent[] {
  const events: { at: number; order: number; event: HistoryEvent }[] = [];
  ops.forEach((op, index) => {
    const isRead = op.f === 'read' || op.f === 'get';
    const key = op.key === undefined ? {} : { key: op.key };
    events.push({ at: op.call, order: index, event: { process: op.p, type: 'invoke', f: op.f, ...key, value: isRead ? null : op.v, time: op.call } });
    const type = op.type ?? 'ok';
    if (type !== 'open') events.push({ at: op.ret, order: ops.length + index, event: { process: op.p, type, f: op.f, ...key, value: op.v, time: op.ret } });
  });
  events.sort((a, b) => a.at - b.at || a.order - b.order);
  return events.map((entry) => entry.event);
}

export const w = (p: number, v: Json, call: number, ret: number, key?: string): Op => ({ p, f: 'write', v, call, ret, key });
export const r = (p: number, v: Json, call: number, ret: number, key?: string): Op => ({ p, f: 'read', v, call, ret, key });
