import { parseEDNString } from 'edn-data';
import type { Json } from '../../history/operation.js';
import { InputError } from '../../util/errors.js';
import { EdnShapeError, ednToJson } from './edn-value.js';

/** Reads one complete EDN value (already checked for structure) and converts it to JSON. */
export function readEdnValue(text: string, file: string | undefined, line: number): Json {
  try {
    return ednToJson(parseEDNString(text));
  } catch (error) {
    if (error instanceof EdnShapeError) throw new InputError(error.message, file, line);
    throw new InputError(`invalid EDN value ${text}: ${(error as Error).message}`, file, line);
  }
}
