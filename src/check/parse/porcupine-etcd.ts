import type { EventType, HistoryEvent, Json } from '../../history/operation.js';
import { InputError } from '../../util/errors.js';
import { splitEdnForms } from './edn-forms.js';
import { readEdnValue } from './edn-scalar.js';
import { emptyHistory } from './edn-history.js';
import type { ParsedHistory } from './parsed-history.js';

/** `INFO  jepsen.util - 3\t:invoke\t:cas\t[1 2]`; fields separated by tabs or spaces. */
const eventLine = /^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(\S+)\s+:(\S+)(?:\s+(.*?))?\s*$/;
const eventTypes: readonly EventType[] = ['invoke', 'ok', 'fail', 'info'];

/**
 * The Jepsen etcd logs from Porcupine's test data. Lines that are not `jepsen.util` event lines
 * are log noise; an event line that does not parse is an error. Time is the line number.
 */
export function parsePorcupineEtcd(text: string, file: string | undefined): ParsedHistory {
  const events: HistoryEvent[] = [];
  const lines: number[] = [];
  const sourceLines = text.split('\n');
  for (let index = 0; index < sourceLines.length; index++) {
    const line = (sourceLines[index] as string).replace(/\r$/, '');
    if (!/^INFO\s+jepsen\.util\s+-\s+\d+\s/.test(line)) continue;
    const lineNumber = index + 1;
    const match = eventLine.exec(line);
    if (match === null) throw new InputError('expected "INFO  jepsen.util - <process> :<type> :<f> <value>"', file, lineNumber);
    const [, process, type, f, valueText] = match as unknown as [string, string, string, string, string | undefined];
    if (!eventTypes.includes(type as EventType)) throw new InputError(`expected the type to be one of :invoke, :ok, :fail, :info, found :${type}`, file, lineNumber);
    if (valueText === undefined || valueText === '') throw new InputError(`expected a value after :${f}`, file, lineNumber);
    const value: Json = readValue(valueText, file, lineNumber);
    events.push({ process: Number(process), type: type as EventType, f, value, time: lineNumber });
    lines.push(lineNumber);
  }
  if (events.length === 0) throw emptyHistory(file);
  return { format: 'porcupine-etcd', file, events, lines };
}

function readValue(text: string, file: string | undefined, line: number): Json {
  if (text === 'nil') return null;
  if (/^-?\d+$/.test(text)) return Number(text);
  const forms = splitEdnForms(text, file, 0, text.length, line);
  if (forms.length !== 1) throw new InputError(`expected one EDN value, found ${forms.length}: ${text}`, file, line);
  return readEdnValue((forms[0] as { text: string }).text, file, line);
}
