import type { Json } from '../history/operation.js';

const MINUS = 45; // '-'
const QUOTE = 34; // '"'
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

/** Digits in a non-negative safe integer's decimal form. */
function decimalDigits(value: number): number {
  let digits = 1;
  for (let divisor = 10; value >= divisor; divisor *= 10) digits++;
  return digits;
}

/**
 * The length of `JSON.stringify(value)`, or −1 when `mixJson` leaves the value to
 * JSON.stringify: objects, non-integer or unsafe numbers, and strings JSON would escape.
 */
function jsonTextLength(value: Json | undefined): number {
  if (value === null) return 4;
  switch (typeof value) {
    case 'boolean':
      return value ? 4 : 5;
    case 'number':
      if (!Number.isSafeInteger(value) || Object.is(value, -0)) return -1;
      return value < 0 ? 1 + decimalDigits(-value) : decimalDigits(value);
    case 'string':
      for (let i = 0; i < value.length; i++) {
        const code = value.charCodeAt(i);
        // Control characters, quote and backslash are escaped; surrogates may be.
        if (code < 0x20 || code === QUOTE || code === BACKSLASH || (code >= 0xd800 && code <= 0xdfff)) return -1;
      }
      return value.length + 2;
    case 'object': {
      if (!Array.isArray(value)) return -1;
      let length = 2 + Math.max(0, value.length - 1);
      for (let i = 0; i < value.length; i++) {
        const item = jsonTextLength(value[i]);
        if (item < 0) return -1;
        length += item;
      }
      return length;
    }
    default:
      return -1;
  }
}

/**
 * A running 64-bit fingerprint of the trace, kept as two 32-bit lanes so it costs a few integer
 * multiplications per field and no allocation. It is a determinism fingerprint, not a
 * cryptographic hash.
 */
export class TraceHash {
  private low = 0x811c9dc5 | 0;
  private high = 0x01000193 | 0;

  mixInt(value: number): void {
    if (value >= 0 && value <= 0x7fff_ffff) {
      this.mix32(value);
      return;
    }
    // Split so larger integers (simulated times past 35 minutes) contribute all their bits.
    this.mix32(value | 0);
    this.mix32(Math.floor(value / 0x1_0000_0000) | 0);
  }

  mixString(value: string): void {
    this.mix32(value.length);
    this.mixChars(value);
  }

  /**
   * Mixes exactly what `mixString(JSON.stringify(value) ?? 'undefined')` would. Client values
   * (null, plain strings, integers and arrays of them) are mixed character by character without
   * building the text; anything else goes through JSON.stringify.
   */
  mixJson(value: Json | undefined): void {
    const length = jsonTextLength(value);
    if (length < 0) {
      this.mixString(JSON.stringify(value) ?? 'undefined');
      return;
    }
    this.mix32(length);
    this.mixJsonText(value as Json);
  }

  /** The characters of the JSON text of a value `jsonTextLength` accepted. */
  private mixJsonText(value: Json): void {
    if (value === null) {
      this.mixChars('null');
    } else if (typeof value === 'boolean') {
      this.mixChars(value ? 'true' : 'false');
    } else if (typeof value === 'number') {
      if (value < 0) this.mix32(MINUS);
      this.mixDigits(Math.abs(value));
    } else if (typeof value === 'string') {
      this.mix32(QUOTE);
      this.mixChars(value);
      this.mix32(QUOTE);
    } else if (Array.isArray(value)) {
      this.mix32(OPEN_BRACKET);
      for (let i = 0; i < value.length; i++) {
        if (i > 0) this.mix32(COMMA);
        this.mixJsonText(value[i] as Json);
      }
      this.mix32(CLOSE_BRACKET);
    }
  }

  private mixChars(text: string): void {
    for (let i = 0; i < text.length; i++) this.mix32(text.charCodeAt(i));
  }

  /** The decimal digits of a non-negative safe integer, most significant first. */
  private mixDigits(value: number): void {
    let divisor = 1;
    while (value / divisor >= 10) divisor *= 10;
    let rest = value;
    for (; divisor >= 1; divisor /= 10) {
      const digit = Math.floor(rest / divisor);
      this.mix32(48 + digit); // '0' + digit
      rest -= digit * divisor;
    }
  }

  private mix32(value: number): void {
    let low = this.low ^ value;
    low = Math.imul(low, 0x01000193);
    low ^= low >>> 15;
    let high = this.high ^ value ^ (low >>> 7);
    high = Math.imul(high, 0x5bd1e995);
    high ^= high >>> 13;
    this.low = low;
    this.high = high;
  }

  /** 16 lowercase hex digits. */
  hex(): string {
    return (this.high >>> 0).toString(16).padStart(8, '0') + (this.low >>> 0).toString(16).padStart(8, '0');
  }
}
