import { InputError } from '../util/errors.js';

/**
 * Where a history came from, so that errors found after parsing (pairing, decoding) can still
 * name the file and line. `lines[i]` is the 1-based line of event `i`.
 */
export interface HistorySource {
  readonly file?: string;
  readonly lines?: readonly number[];
}

export function errorAt(source: HistorySource, eventIndex: number, message: string): InputError {
  const line = source.lines?.[eventIndex];
  const where = line === undefined ? ` (event ${eventIndex + 1})` : '';
  return new InputError(message + where, source.file, line);
}
