import { escapeBidi } from '../util/bidi.js';

/**
 * Text from a run (scenario names, keys, values, verdict details) as HTML text or attribute
 * content: markup characters become entities and bidirectional controls their visible escapes
 * (`\u202E`), so a page shows exactly what the input holds and never runs or reorders it.
 */
export function htmlText(text: string): string {
  return escapeBidi(text).replace(/[&<>"']/g, (char) => ENTITIES[char]!);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A relative link built from path segments, each percent-encoded. */
export function relativeHref(path: string): string {
  return path
    .split(/[\\/]/)
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/** Every string inside `value` (deeply) with its bidirectional controls escaped. */
export function escapeBidiDeep<T>(value: T): T {
  if (typeof value === 'string') return escapeBidi(value) as T;
  if (Array.isArray(value)) {
    let changed: unknown[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const item = value[index] as unknown;
      if (typeof item === 'number') continue;
      const escaped = escapeBidiDeep(item);
      if (escaped !== item) (changed ??= [...value])[index] = escaped;
    }
    return (changed ?? value) as T;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = escapeBidiDeep(item);
    return out as T;
  }
  return value;
}

/** The Content-Security-Policy of every faultline page: nothing is fetched, ever. */
export const NO_NETWORK_POLICY = `default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:`;
