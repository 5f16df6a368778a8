/** Beyond this many timers armed at once, names are hashed after all. */
const SCAN_LIMIT = 16;

/**
 * A node's armed timers by name. A protocol has a handful of timer names and re-arms them on
 * almost every step (each heartbeat postpones the election timer), so a lookup is a scan of a
 * few strings compared by identity first, cheaper than hashing the name into a Map each time.
 * A protocol that names timers per request (many armed at once) gets a Map.
 */
export class TimerTable<T> {
  private readonly names: (string | undefined)[] = [];
  private readonly armed: (T | undefined)[] = [];
  private map: Map<string, T> | undefined;

  get(name: string): T | undefined {
    if (this.map !== undefined) return this.map.get(name);
    const names = this.names;
    for (let i = 0; i < names.length; i++) if (names[i] === name) return this.armed[i];
    return undefined;
  }

  set(name: string, value: T): void {
    if (this.map !== undefined) {
      this.map.set(name, value);
      return;
    }
    const names = this.names;
    let free = -1;
    for (let i = 0; i < names.length; i++) {
      if (names[i] === name) {
        this.armed[i] = value;
        return;
      }
      if (names[i] === undefined && free < 0) free = i;
    }
    if (free >= 0) {
      names[free] = name;
      this.armed[free] = value;
    } else if (names.length < SCAN_LIMIT) {
      names.push(name);
      this.armed.push(value);
    } else {
      this.map = new Map([...this.entries(), [name, value]]);
    }
  }

  delete(name: string): void {
    if (this.map !== undefined) {
      this.map.delete(name);
      return;
    }
    const names = this.names;
    for (let i = 0; i < names.length; i++) {
      if (names[i] === name) {
        names[i] = undefined;
        this.armed[i] = undefined;
      }
    }
  }

  /** Every armed timer. */
  values(): T[] {
    return this.entries().map(([, value]) => value);
  }

  clear(): void {
    this.map = undefined;
    this.names.length = 0;
    this.armed.length = 0;
  }

  private entries(): [string, T][] {
    if (this.map !== undefined) return [...this.map.entries()];
    const entries: [string, T][] = [];
    for (let i = 0; i < this.names.length; i++) {
      const name = this.names[i];
      if (name !== undefined) entries.push([name, this.armed[i] as T]);
    }
    return entries;
  }
}
