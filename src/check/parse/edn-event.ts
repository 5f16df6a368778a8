import { parseEDNString } from 'edn-data';
import type { EventType, HistoryEvent, Json } from '../../history/operation.js';
import { InputError } from '../../util/errors.js';
import type { EdnForm } from './edn-forms.js';
import { EdnShapeError, ednToJson, isEdnMap, isKeyword } from './edn-value.js';

const eventTypes: readonly EventType[] = ['invoke', 'ok', 'fail', 'info'];

/** A Jepsen event, or `skip` for events of non-client processes (the nemesis). */
export type EdnEvent = { readonly kind: 'event'; readonly event: Omit<HistoryEvent, 'time'>; readonly time: number | undefined } | { readonly kind: 'skip' };

/**
 * Reads one EDN form with edn-data and turns the map into a history event. A missing :value is
 * nil, as in Jepsen (its mutex histories have none on acquire and release).
 */
export function readEdnEvent(form: EdnForm, file: string | undefined): EdnEvent {
  const fail = (message: string): InputError => new InputError(message, file, form.line, form.column);
  let value: unknown;
  try {
    value = parseEDNString(form.text);
  } catch (error) {
    throw fail(`invalid EDN: ${(error as Error).message}`);
  }
  if (!isEdnMap(value)) throw fail(`expected an operation map like {:process 0, :type :invoke, :f :read, :value nil}, found ${form.text.slice(0, 40)}`);
  const fields = new Map<string, unknown>();
  for (const [key, entry] of value.map) if (isKeyword(key)) fields.set(key.key, entry);
  const process = fields.get('process');
  if (isKeyword(process)) return { kind: 'skip' };
  if (typeof process !== 'number' || !Number.isSafeInteger(process)) throw fail(`expected :process to be an integer, found ${describe(process)}`);
  const type = fields.get('type');
  if (!isKeyword(type) || !eventTypes.includes(type.key as EventType)) throw fail(`expected :type to be one of :invoke, :ok, :fail, :info, found ${describe(type)}`);
  const f = fields.get('f');
  const name = isKeyword(f) ? f.key : typeof f === 'string' ? f : undefined;
  if (name === undefined) throw fail(`expected :f to be a keyword, found ${describe(f)}`);
  const key = fields.get('key');
  const time = fields.get('time');
  if (time !== undefined && (typeof time !== 'number' || !Number.isFinite(time))) throw fail(`expected :time to be a number, found ${describe(time)}`);
  try {
    const event: Omit<HistoryEvent, 'time'> = { process, type: type.key as EventType, f: name, value: fields.has('value') ? ednToJson(fields.get('value')) : null };
    return { kind: 'event', event: key === undefined ? event : { ...event, key: keyText(key) }, time: time as number | undefined };
  } catch (error) {
    if (error instanceof EdnShapeError) throw fail(error.message);
    throw error;
  }
}

function keyText(key: unknown): string {
  const json: Json = ednToJson(key);
  return typeof json === 'string' ? json : JSON.stringify(json);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(ednToJson(value));
  } catch {
    return String(value);
  }
}
