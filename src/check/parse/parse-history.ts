import { unreachable } from '../../util/assert.js';
import { InputError } from '../../util/errors.js';
import { readInputFile } from '../../util/read-input-file.js';
import { HISTORY_LIMITS } from './history-limits.js';
import { parseEdnHistory } from './edn-history.js';
import { parseJsonLinesHistory } from './jsonl-history.js';
import { historyFormats, type HistoryFormat, type ParsedHistory } from './parsed-history.js';
import { parsePorcupineEtcd } from './porcupine-etcd.js';

export { historyFormats, type HistoryFormat, type ParsedHistory };

/** The model a format implies when the user names none. */
export function defaultModelFor(format: HistoryFormat): string | undefined {
  switch (format) {
    case 'porcupine-etcd':
      return 'cas-register';
    case 'porcupine-kv':
      return 'kv';
    case 'jsonl':
    case 'edn':
      return undefined;
    default:
      return unreachable(format, 'history format');
  }
}

export function parseHistoryText(text: string, format: HistoryFormat, file?: string): ParsedHistory {
  switch (format) {
    case 'jsonl':
      return parseJsonLinesHistory(text, file);
    case 'edn':
    case 'porcupine-kv':
      return parseEdnHistory(text, file, format);
    case 'porcupine-etcd':
      return parsePorcupineEtcd(text, file);
    default:
      return unreachable(format, 'history format');
  }
}

/** `.jsonl` is faultline's format; otherwise the extension or the first line decides. */
export function detectFormat(file: string, text: string): HistoryFormat {
  if (file.endsWith('.jsonl')) return 'jsonl';
  if (file.endsWith('.edn')) return 'edn';
  const first = text.split('\n').find((line) => line.trim() !== '')?.trim() ?? '';
  if (/^INFO\s+jepsen\.util/.test(first) || /^\d{4}-\d\d-\d\d.*jepsen/.test(first)) return 'porcupine-etcd';
  if (first.startsWith('{"')) return 'jsonl';
  if (first.startsWith('{:') || first.startsWith('[') || first.startsWith('(')) return 'edn';
  throw new InputError(`cannot tell the history format; pass --format ${historyFormats.join('|')}`, file, 1);
}

export async function parseHistoryFile(file: string, format?: HistoryFormat): Promise<ParsedHistory> {
  let text: string;
  try {
    // A regular file of bounded size: a FIFO would hang the command, /dev/zero never ends.
    text = readInputFile(file, { maxBytes: HISTORY_LIMITS.fileBytes, what: 'a history file' });
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`cannot read the history: ${error.message}`, file);
    throw error;
  }
  if (text.trim() === '') throw new InputError('the history file is empty: expected at least one invocation', file, 1);
  return parseHistoryText(text, format ?? detectFormat(file, text), file);
}
