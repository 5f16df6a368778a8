import { InputError } from '../../util/errors.js';
import { HISTORY_LIMITS } from './history-limits.js';

/** One top-level EDN form: its text and where it starts. */
export interface EdnForm {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
}

const closerOf: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const nameOf: Record<string, string> = { '(': 'list', '[': 'vector', '{': 'map' };
const delimiters = new Set([' ', '\t', '\n', '\r', ',', '(', ')', '[', ']', '{', '}', '"', ';']);

interface Open {
  readonly opener: string;
  readonly line: number;
  readonly column: number;
}

/**
 * Splits EDN text into top-level forms, tracking lines, and reports structural damage the
 * parser library would silently accept: truncation (an unclosed collection or string), a
 * mismatched or stray closing bracket. The forms themselves are then read by `edn-data`.
 */
export function splitEdnForms(text: string, file: string | undefined, from = 0, to = text.length, firstLine = 1, firstColumn = 1, outerDepth = 0): EdnForm[] {
  const forms: EdnForm[] = [];
  const stack: Open[] = [];
  let line = firstLine;
  let lineStart = from - (firstColumn - 1);
  let formStart = -1;
  let formLine = 0;
  let formColumn = 0;
  let prefixPending = false;
  const column = (index: number): number => index - lineStart + 1;
  const error = (message: string, atLine: number, atColumn: number): InputError => new InputError(message, file, atLine, atColumn);
  const beginForm = (index: number): void => {
    if (formStart < 0) {
      formStart = index;
      formLine = line;
      formColumn = column(index);
    }
  };
  const endDatum = (end: number): void => {
    if (stack.length > 0) return;
    if (prefixPending) {
      prefixPending = false;
      return;
    }
    forms.push({ text: text.slice(formStart, end), start: formStart, end, line: formLine, column: formColumn });
    formStart = -1;
  };

  let index = from;
  while (index < to) {
    const char = text[index] as string;
    if (char === '\n') {
      line++;
      lineStart = index + 1;
      index++;
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\r' || char === ',') {
      index++;
      continue;
    }
    if (char === ';') {
      while (index < to && text[index] !== '\n') index++;
      continue;
    }
    beginForm(index);
    if (char === '"') {
      // The place is taken now: a string may span lines, and the error names where it opened.
      const openLine = line;
      const openColumn = column(index);
      index = skipString(text, index, to, () => error('truncated: string never closed (expected \'"\')', openLine, openColumn), (newlineAt) => {
        line++;
        lineStart = newlineAt + 1;
      });
      endDatum(index);
      continue;
    }
    if (char === '(' || char === '[' || char === '{') {
      if (outerDepth + stack.length >= HISTORY_LIMITS.depth) {
        throw error(`nesting deeper than ${HISTORY_LIMITS.depth} levels (a history needs about 5); refused before reading it`, line, column(index));
      }
      stack.push({ opener: char, line, column: column(index) });
      index++;
      continue;
    }
    if (char === ')' || char === ']' || char === '}') {
      const open = stack.pop();
      if (open === undefined) throw error(`unexpected '${char}' with nothing open`, line, column(index));
      if (closerOf[open.opener] !== char) {
        throw error(`expected '${closerOf[open.opener]}' to close the ${nameOf[open.opener]} opened at line ${open.line}, found '${char}'`, line, column(index));
      }
      index++;
      endDatum(index);
      continue;
    }
    if (char === '#' && text[index + 1] === '{') {
      // A set opens like a map.
      index++;
      continue;
    }
    if (char === '#') {
      // A tag (#inst, #uuid) prefixes the next datum, which ends the form; a discard (#_) drops
      // the next datum, so the one after it ends the form.
      const discard = text[index + 1] === '_';
      index = discard ? index + 2 : skipAtom(text, index, to);
      if (discard && stack.length === 0) prefixPending = true;
      continue;
    }
    index = skipAtom(text, index, to);
    endDatum(index);
  }
  if (stack.length > 0) {
    const open = stack[stack.length - 1] as Open;
    throw error(`truncated: the ${nameOf[open.opener]} opened here is never closed (expected '${closerOf[open.opener]}')`, open.line, open.column);
  }
  if (formStart >= 0) throw error('truncated: a tag or discard with no value after it', formLine, formColumn);
  return forms;
}

function skipString(text: string, start: number, to: number, truncated: () => InputError, onNewline: (at: number) => void): number {
  let index = start + 1;
  while (index < to) {
    const char = text[index];
    if (char === '\\') {
      index += 2;
      continue;
    }
    if (char === '\n') onNewline(index);
    if (char === '"') return index + 1;
    index++;
  }
  throw truncated();
}

/** An atom: symbol, keyword, number, nil/true/false, or a character literal such as \" or \space. */
function skipAtom(text: string, start: number, to: number): number {
  let index = start;
  if (text[index] === '\\') index += 2;
  while (index < to && !delimiters.has(text[index] as string)) index++;
  return Math.max(index, start + 1);
}
