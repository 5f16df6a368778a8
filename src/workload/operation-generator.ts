import type { Json } from '../history/operation.js';
import type { ClientOperation } from '../protocol/client-types.js';
import type { RandomStream } from '../random/random-stream.js';
import type { ScriptedOperation, WorkloadSpec } from '../scenario/scenario.js';
import { assert, fail } from '../util/assert.js';

/**
 * Draws a client's next operation. It has its own random stream, so the sequence of operations a
 * client asks for depends on the seed alone, not on faults or timing. Written values are unique
 * (`c<client>.<n>`) so a checker can tell every write apart.
 */
export class OperationGenerator {
  private readonly kinds: string[];
  private readonly weights: number[];
  private readonly totalWeight: number;
  private written = 0;
  /** The last value this client saw for each key, used as a cas's expected value. */
  private readonly lastSeen = new Map<string, Json>();
  /** `workload.script[clientIndex]`, when the scenario scripts its clients; nothing is drawn then. */
  private readonly script: readonly ScriptedOperation[] | undefined;
  private scripted = 0;

  constructor(
    private readonly spec: WorkloadSpec,
    private readonly clientIndex: number,
    private readonly random: RandomStream,
  ) {
    this.kinds = Object.keys(spec.mix).filter((f) => (spec.mix[f] as number) > 0);
    // Weights may be fractional in the file; scale to integers so the draw stays integer-only.
    this.weights = this.kinds.map((f) => Math.max(1, Math.round((spec.mix[f] as number) * 1000)));
    this.totalWeight = this.weights.reduce((a, b) => a + b, 0);
    this.script = spec.script?.[clientIndex];
    assert(this.kinds.length > 0, 'a workload with no operations');
  }

  /** The earliest time the next scripted operation may be invoked, if the script says. */
  get notBefore(): number | undefined {
    return this.script?.[this.scripted]?.at;
  }

  /** True once a scripted client has invoked its whole script (never for drawn operations). */
  get exhausted(): boolean {
    return this.script !== undefined && this.scripted >= this.script.length;
  }

  next(): ClientOperation {
    if (this.script !== undefined) {
      if (this.exhausted) fail(`client ${this.clientIndex} has no scripted operation left`);
      const { at: _at, ...operation } = this.script[this.scripted++] as ScriptedOperation;
      return operation;
    }
    if (this.spec.kind === 'lock') return this.nextLockOperation();
    if (this.spec.kind === 'bank') return this.nextBankOperation();
    const f = this.pickKind();
    const key = this.pickKey();
    switch (f) {
      case 'read':
      case 'dequeue':
        return { f, key, value: null };
      case 'write':
      case 'append':
      case 'enqueue':
        return { f, key, value: this.freshValue() };
      case 'cas':
        return { f, key, value: [this.lastSeen.get(key) ?? null, this.freshValue()] };
      case 'add':
        // A counter adds a small delta; a set adds a fresh element (the service calls it sadd).
        return this.spec.kind === 'set' ? { f: 'sadd', key, value: this.freshValue() } : { f, key, value: this.random.range(1, 5) };
      default:
        throw new Error(`operation ${f} has no generator`);
    }
  }

  /**
   * A lock client alternates: acquire until granted, then release. The owner is the client, not
   * the process, because a client that got `info` continues as a new process and may still hold
   * the lock. After an `info` acquire it does not know, so it releases (harmless if not held).
   */
  private nextLockOperation(): ClientOperation {
    const key = this.pickKey();
    const owner = `c${this.clientIndex}`;
    return { f: this.mayHoldLock.has(key) ? 'release' : 'acquire', key, value: owner };
  }

  /**
   * A bank client moves 1..5 between two distinct accounts `a0..a<keys-1>`, or reads every
   * balance. The whole bank is one object to the checker (key `bank`): a transfer spans accounts.
   */
  private nextBankOperation(): ClientOperation {
    const f = this.pickKind();
    if (f === 'read') return { f, key: 'bank', value: null };
    const accounts = Math.max(2, this.spec.keys);
    const from = this.random.int(accounts);
    const to = (from + 1 + this.random.int(accounts - 1)) % accounts;
    return { f, key: 'bank', value: [`a${from}`, `a${to}`, this.random.range(1, 5)] };
  }

  private readonly mayHoldLock = new Set<string>();

  /** What the outcome of a lock operation says about whether this client may hold the lock. */
  observeLock(operation: ClientOperation, type: 'ok' | 'fail' | 'info'): void {
    if (operation.key === undefined) return;
    if (operation.f === 'acquire' && type !== 'fail') this.mayHoldLock.add(operation.key);
    if (operation.f === 'release' && type !== 'info') this.mayHoldLock.delete(operation.key);
  }

  /** Remembers what a completed operation showed about its key, for later cas operations. */
  observe(operation: ClientOperation, status: 'ok' | 'fail', output: Json): void {
    if (status !== 'ok' || operation.key === undefined) return;
    if (operation.f === 'read') this.lastSeen.set(operation.key, output);
    else if (operation.f === 'write') this.lastSeen.set(operation.key, operation.value);
    else if (operation.f === 'cas') this.lastSeen.set(operation.key, (operation.value as Json[])[1] as Json);
  }

  private pickKind(): string {
    let draw = this.random.int(this.totalWeight);
    for (let i = 0; i < this.kinds.length; i++) {
      draw -= this.weights[i] as number;
      if (draw < 0) return this.kinds[i] as string;
    }
    return this.kinds[this.kinds.length - 1] as string;
  }

  private pickKey(): string {
    const { keys, hotKeyPercent } = this.spec;
    if (keys === 1) return 'k0';
    if (hotKeyPercent > 0 && this.random.chance(Math.round(hotKeyPercent * 100), 10_000)) return 'k0';
    return `k${this.random.int(keys)}`;
  }

  private freshValue(): string {
    this.written++;
    return `c${this.clientIndex}.${this.written}`;
  }
}
