import type { HistoryEvent } from '../../history/operation.js';
import { InputError } from '../../util/errors.js';
import { splitEdnForms, type EdnForm } from './edn-forms.js';
import { readEdnEvent } from './edn-event.js';
import type { HistoryFormat, ParsedHistory } from './parsed-history.js';

/**
 * A Jepsen history in EDN: one operation map per line (or any whitespace), or the whole file as
 * one vector or list of maps. Events of the nemesis (a keyword :process) are skipped. Times come
 * from :time when every event has one, else from the event's position.
 */
export function parseEdnHistory(text: string, file: string | undefined, format: HistoryFormat = 'edn'): ParsedHistory {
  let forms = splitEdnForms(text, file);
  const only = forms[0];
  if (forms.length === 1 && only !== undefined && (only.text.startsWith('[') || only.text.startsWith('('))) {
    forms = splitEdnForms(text, file, only.start + 1, only.end - 1, only.line, only.column + 1);
  }
  const events: HistoryEvent[] = [];
  const lines: number[] = [];
  let timed: boolean | undefined;
  for (const form of forms) {
    const read = readEdnEvent(form, file);
    if (read.kind === 'skip') continue;
    timed ??= read.time !== undefined;
    if (timed !== (read.time !== undefined)) throw new InputError(`expected :time on every operation or on none`, file, form.line, form.column);
    events.push({ ...read.event, time: read.time ?? events.length });
    lines.push(form.line);
  }
  if (events.length === 0) throw emptyHistory(file, forms[0]);
  return { format, file, events, lines };
}

export function emptyHistory(file: string | undefined, first?: EdnForm): InputError {
  return new InputError('no operations found: expected at least one invocation', file, first?.line ?? 1);
}
