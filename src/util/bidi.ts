/**
 * Bidirectional control characters (embeddings, overrides, isolates, marks). Shown raw they
 * reorder the text around them, so a key written "\u202Eevil" displays as "live": a report must
 * never show something other than what the input holds.
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Replaces each bidirectional control character with its escape, e.g. `\u202E`. */
export function escapeBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, (char) => `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}
