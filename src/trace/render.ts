import type { Message } from '../protocol/effects.js';
import { formatMicros } from '../sim/time.js';
import { unreachable } from '../util/assert.js';
import type { TraceEvent } from './trace-event.js';

export type MessageRenderer = (message: Message) => string;

/** The one stable text rendering of a trace event. Changing it changes every golden transcript. */
export function renderTraceEvent(event: TraceEvent, renderMessage: MessageRenderer): string {
  const t = formatMicros(event.time);
  switch (event.kind) {
    case 'send':
      return `${t} send n${event.from}->n${event.to} ${renderMessage(event.message)}`;
    case 'deliver':
      return `${t} deliver n${event.from}->n${event.to} ${renderMessage(event.message)}`;
    case 'drop':
      return `${t} drop(${event.reason}) n${event.from}->n${event.to} ${renderMessage(event.message)}`;
    case 'duplicate':
      return `${t} duplicate n${event.from}->n${event.to} ${renderMessage(event.message)}`;
    case 'timer':
      return `${t} timer n${event.node} ${event.name}`;
    case 'crash':
      return `${t} crash n${event.node} lost-writes=${event.lostWrites}`;
    case 'restart':
      return `${t} restart n${event.node}`;
    case 'pause':
      return `${t} pause n${event.node}`;
    case 'resume':
      return `${t} resume n${event.node} queued=${event.queued}`;
    case 'request':
      return `${t} request c${event.client}->n${event.node} #${event.requestId} ${event.f}`;
    case 'response':
      return `${t} response n${event.node}->c${event.client} #${event.requestId} ${event.status}`;
    case 'client': {
      const key = event.key === undefined ? '' : ` ${event.key}`;
      return `${t} client p${event.process} ${event.type} ${event.f}${key} ${JSON.stringify(event.value)}`;
    }
    case 'fault':
      return `${t} fault ${event.phase} ${event.description}`;
    case 'phase':
      return `${t} phase ${event.name}`;
    default:
      return unreachable(event, 'trace event');
  }
}

/** A generic message rendering: `Type{field=value ...}` in insertion order, arrays by length. */
export function renderMessageGeneric(message: Message): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(message)) {
    if (key === 'type') continue;
    parts.push(`${key}=${renderValue(value)}`);
  }
  return `${message.type}{${parts.join(' ')}}`;
}

function renderValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.length}]`;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
