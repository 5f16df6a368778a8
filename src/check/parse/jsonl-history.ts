import type { EventType, HistoryEvent, Json } from '../../history/operation.js';
import { InputError } from '../../util/errors.js';
import { emptyHistory } from './edn-history.js';
import { HISTORY_LIMITS, jsonDepthExceeds } from './history-limits.js';
import type { ParsedHistory } from './parsed-history.js';

const eventTypes: readonly EventType[] = ['invoke', 'ok', 'fail', 'info'];

/** faultline's own history: one JSON object per line (see src/history/operation.ts). */
export function parseJsonLinesHistory(text: string, file: string | undefined): ParsedHistory {
  const events: HistoryEvent[] = [];
  const lines: number[] = [];
  const sourceLines = text.split('\n');
  for (let index = 0; index < sourceLines.length; index++) {
    const line = (sourceLines[index] as string).trim();
    if (line === '') continue;
    events.push(readEvent(line, file, index + 1));
    lines.push(index + 1);
  }
  if (events.length === 0) throw emptyHistory(file);
  return { format: 'jsonl', file, events, lines };
}

function readEvent(text: string, file: string | undefined, line: number): HistoryEvent {
  const fail = (message: string, field?: string): InputError => new InputError(message, file, line, undefined, field);
  const binary = nonTextCharacters(text);
  if (binary > 0) throw fail(`not JSON: the line holds binary data (${binary} characters that are not text); expected one JSON object per line`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw fail(`not JSON: invalid JSON${jsonErrorPosition(error as Error)}; expected one JSON object per line`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail('expected a JSON object per line');
  if (jsonDepthExceeds(value, HISTORY_LIMITS.depth)) throw fail(`nesting deeper than ${HISTORY_LIMITS.depth} levels (a history needs about 5)`);
  const record = value as Record<string, unknown>;
  if (!Number.isSafeInteger(record.process)) throw fail(`expected an integer, found ${JSON.stringify(record.process)}`, 'process');
  if (!eventTypes.includes(record.type as EventType)) throw fail(`expected one of invoke, ok, fail, info, found ${JSON.stringify(record.type)}`, 'type');
  if (typeof record.f !== 'string' || record.f === '') throw fail(`expected a function name, found ${JSON.stringify(record.f)}`, 'f');
  if (!('value' in record)) throw fail('expected a value (null when there is none)', 'value');
  if (record.key !== undefined && typeof record.key !== 'string') throw fail(`expected a string, found ${JSON.stringify(record.key)}`, 'key');
  if (typeof record.time !== 'number' || !Number.isFinite(record.time)) throw fail(`expected a number, found ${JSON.stringify(record.time)}`, 'time');
  if (record.error !== undefined && typeof record.error !== 'string') throw fail(`expected a string, found ${JSON.stringify(record.error)}`, 'error');
  const event: HistoryEvent = { process: record.process as number, type: record.type as EventType, f: record.f, value: record.value as Json, time: record.time };
  if (record.key !== undefined) event.key = record.key as string;
  if (record.error !== undefined) event.error = record.error as string;
  return event;
}

/** Control characters (other than tab) and U+FFFD, which reading bytes that are not UTF-8 yields. */
function nonTextCharacters(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f || code === 0xfffd) count++;
  }
  return count;
}

/**
 * Where JSON.parse stopped, without its message: V8 quotes the input in it, and the input may
 * be anything (the report must not echo raw bytes).
 */
function jsonErrorPosition(error: Error): string {
  const match = /position (\d+)/.exec(error.message);
  if (match !== null) return ` at column ${Number(match[1]) + 1}`;
  return /end of JSON input/.test(error.message) ? ' (the line ends too early)' : '';
}
