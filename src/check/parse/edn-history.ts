import type { HistoryEvent } from '../../history/operation.js';
import { InputError } from '../../util/errors.js';
import { splitEdnForms, type EdnForm } from './edn-forms.js';
import { readEdnEvent } from './edn-event.js';
import type { HistoryFormat, ParsedHistory } from './parsed-history.js';

/**
 * A Jepsen history in EDN: one operation map per line (or any whitespace), or the whole file as
 * one vector or list of maps. Events of the nemesis (a keyword :process) are skipped.
 *
 * As in Jepsen, the order of the events in the file is the real-time order: `:time` is advisory
 * (threads stamp it from their own clocks, so it can go backwards by a few nanoseconds between
 * threads). Each event's time is its position; `:time` only feeds a warning that counts the
 * places where it goes backwards.
 */
export function parseEdnHistory(text: string, file: string | undefined, format: HistoryFormat = 'edn'): ParsedHistory {
  let forms = splitEdnForms(text, file);
  const only = forms[0];
  if (forms.length === 1 && only !== undefined && (only.text.startsWith('[') || only.text.startsWith('('))) {
    forms = splitEdnForms(text, file, only.start + 1, only.end - 1, only.line, only.column + 1, 1);
  }
  const events: HistoryEvent[] = [];
  const lines: number[] = [];
  const inversions = new TimeInversions();
  let nemesisEvents = 0;
  for (const form of forms) {
    const read = readEdnEvent(form, file);
    if (read.kind === 'skip') {
      nemesisEvents++;
      continue;
    }
    if (read.time !== undefined) inversions.observe(read.time, form.line);
    events.push({ ...read.event, time: events.length });
    lines.push(form.line);
  }
  if (events.length === 0 && nemesisEvents === 0) throw emptyHistory(file, forms[0]);
  const warning = inversions.warning();
  return { format, file, events, lines, nemesisEvents, warnings: warning === undefined ? [] : [warning] };
}

/** Counts the events whose :time is earlier than the previous event's. */
class TimeInversions {
  private previous = -Infinity;
  private count = 0;
  private largest = 0;
  private firstLine = 0;

  observe(time: number, line: number): void {
    if (time < this.previous) {
      if (this.count === 0) this.firstLine = line;
      this.count++;
      this.largest = Math.max(this.largest, this.previous - time);
    }
    this.previous = time;
  }

  warning(): string | undefined {
    if (this.count === 0) return undefined;
    const times = this.count === 1 ? 'once' : `${this.count} times`;
    return `:time goes backwards ${times} (first at line ${this.firstLine}, by up to ${this.largest}); checked in file order, which Jepsen takes as the real-time order`;
  }
}

export function emptyHistory(file: string | undefined, first?: EdnForm): InputError {
  return new InputError('no operations found: expected at least one invocation', file, first?.line ?? 1);
}
