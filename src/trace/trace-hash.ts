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
    for (let i = 0; i < value.length; i++) this.mix32(value.charCodeAt(i));
  }

  /** Mixes exactly what `mixString(String(value))` would, without building the string. */
  mixDecimal(value: number): void {
    // Small non-negative integers (most values clients read and write); the rest via String().
    if (!(Number.isInteger(value) && value >= 0 && value <= 0x7fff_ffff)) {
      this.mixString(String(value));
      return;
    }
    let divisor = 1;
    let digits = 1;
    while (value / divisor >= 10) {
      divisor *= 10;
      digits++;
    }
    this.mix32(digits);
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
