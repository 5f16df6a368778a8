import type { AnyModel } from '../model.js';
import type { Operation } from '../operation.js';
import type { CasInput, CasOutput } from '../models/cas-register.js';
import type { KvInput, KvOutput } from '../models/kv.js';
import type { RegisterInput, RegisterOutput } from '../models/register.js';

/** `readsFrom` of a read that returned the initial value. */
export const readsInitial = -1;
/** `readsFrom` of a read that returned a value no operation wrote ("out of thin air"). */
export const readsThinAir = -2;

/**
 * A history seen as reads and writes of registers with unique written values, the shape the
 * causal and session checks need: every read names the one write it read from.
 *
 * Arrays indexed by view position (operations in call order). An operation may both read and
 * write (a successful cas reads `expected` and writes `new`).
 */
export interface RegisterView {
  readonly count: number;
  /** The checker's operation id of each view operation. */
  readonly ids: Int32Array;
  /** Process (session) of each operation, renumbered 0..processCount-1. */
  readonly session: Int32Array;
  readonly processCount: number;
  /** The original process numbers, by session. */
  readonly processes: readonly number[];
  /** Index of each operation in its session's program order. */
  readonly position: Int32Array;
  /** Key of each operation, renumbered 0..keyCount-1. */
  readonly key: Int32Array;
  readonly keys: readonly string[];
  readonly isRead: Uint8Array;
  readonly isWrite: Uint8Array;
  /** For a read: the view index of the write it read from, or readsInitial / readsThinAir. */
  readonly readsFrom: Int32Array;
  /** Each session's operations in program order (view indices). */
  readonly sessionOperations: readonly Int32Array[];
}

export type RegisterViewResult = { readonly kind: 'view'; readonly view: RegisterView } | { readonly kind: 'unsupported'; readonly reason: string };

/** What one operation reads and writes, as canonical value strings; undefined: does not. */
interface ReadWrite {
  readonly read: string | undefined;
  readonly write: string | undefined;
}

type Classify = (operation: Operation) => ReadWrite | 'drop' | string;

/**
 * Builds the view for the register-like models (register, cas-register, kv without append).
 * Other models have no single write a read returns, so the causal and session checks answer
 * `unknown` for them, with this function's reason.
 *
 * Dropped: failed cas (it names no write it read), indeterminate operations nobody read from
 * (they have no causal successor, so they cannot matter), indeterminate reads (the models
 * already leave them out). An indeterminate write that some read returns did take effect.
 */
export function registerView(model: AnyModel, operations: readonly Operation[]): RegisterViewResult {
  const classify = classifierFor(model);
  if (classify === undefined) return { kind: 'unsupported', reason: `model ${model.name} has no reads-from relation (needs register, cas-register or kv without append)` };
  // The register models' state is the canonical JSON of the value (initial value configurable).
  const initial = model.name === 'kv' ? '""' : (model.init() as string);
  const classified: Classified[] = [];
  for (const operation of operations) {
    const rw = classify(operation);
    if (rw === 'drop') continue;
    if (typeof rw === 'string') return { kind: 'unsupported', reason: rw };
    classified.push({ operation, rw });
  }
  // Per key, the classified index of the write of each value (values must be unique).
  const writerOf = new Map<string, Map<string, number>>();
  for (let index = 0; index < classified.length; index++) {
    const { operation, rw } = classified[index] as Classified;
    if (rw.write === undefined) continue;
    if (rw.write === initial) return { kind: 'unsupported', reason: `written values are not unique: #${operation.id} writes the initial value ${initial}` };
    let values = writerOf.get(operation.key);
    if (values === undefined) writerOf.set(operation.key, (values = new Map()));
    const previous = values.get(rw.write);
    if (previous !== undefined) return { kind: 'unsupported', reason: `written values are not unique: #${(classified[previous] as Classified).operation.id} and #${operation.id} both write ${rw.write}${keyText(operation.key)}` };
    values.set(rw.write, index);
  }
  const readsFrom = new Int32Array(classified.length).fill(readsThinAir);
  classified.forEach(({ operation, rw }, index) => {
    if (rw.read === undefined) return;
    const writer = rw.read === initial ? readsInitial : (writerOf.get(operation.key)?.get(rw.read) ?? readsThinAir);
    // A cas that expects the value it writes itself read it from nobody.
    readsFrom[index] = writer === index ? readsThinAir : writer;
  });
  return { kind: 'view', view: buildView(classified, readsFrom) };
}

interface Classified {
  readonly operation: Operation;
  readonly rw: ReadWrite;
}

function keyText(key: string): string {
  return key === '' ? '' : ` to key ${JSON.stringify(key)}`;
}

/**
 * Determinate operations, plus the indeterminate writes that a kept operation reads from (to a
 * fixed point: a kept indeterminate cas keeps the write it read). Those did take effect; the
 * other indeterminate operations may never have happened, and nothing kept depends on them.
 */
function keptMask(classified: readonly Classified[], readsFrom: Int32Array): Uint8Array {
  const kept = new Uint8Array(classified.length);
  const work: number[] = [];
  classified.forEach(({ operation }, index) => {
    if (operation.outcome === 'info') return;
    kept[index] = 1;
    work.push(index);
  });
  while (work.length > 0) {
    const writer = readsFrom[work.pop() as number] as number;
    if (writer < 0 || kept[writer] === 1) continue;
    kept[writer] = 1;
    work.push(writer);
  }
  return kept;
}

function classifierFor(model: AnyModel): Classify | undefined {
  switch (model.name) {
    case 'register':
      return (operation) => {
        const input = operation.input as RegisterInput;
        const output = operation.output as RegisterOutput | undefined;
        if (input.kind === 'write') return { read: undefined, write: input.value };
        return typeof output === 'string' ? { read: output, write: undefined } : 'drop';
      };
    case 'cas-register':
      return (operation) => {
        const input = operation.input as CasInput;
        const output = operation.output as CasOutput | undefined;
        if (input.kind === 'write') return { read: undefined, write: input.value };
        if (input.kind === 'read') return typeof output === 'string' ? { read: output, write: undefined } : 'drop';
        if (output === false) return 'drop'; // the compare failed: it read some other value, unnamed
        return { read: input.expected, write: input.value }; // ok, or info that some read proves applied
      };
    case 'kv':
      return (operation) => {
        const input = operation.input as KvInput;
        const output = operation.output as KvOutput | undefined;
        if (input.kind === 'append') return `model kv with append: a read returns several writes, not one (#${operation.id})`;
        if (input.kind === 'put') return { read: undefined, write: JSON.stringify(input.value) };
        return typeof output === 'string' ? { read: JSON.stringify(output), write: undefined } : 'drop';
      };
    default:
      return undefined;
  }
}

function buildView(classified: readonly Classified[], classifiedReadsFrom: Int32Array): RegisterView {
  const kept = keptMask(classified, classifiedReadsFrom);
  const viewIndex = new Int32Array(classified.length).fill(-1);
  let count = 0;
  for (let index = 0; index < classified.length; index++) if (kept[index] === 1) viewIndex[index] = count++;
  const ids = new Int32Array(count);
  const session = new Int32Array(count);
  const position = new Int32Array(count);
  const key = new Int32Array(count);
  const isRead = new Uint8Array(count);
  const isWrite = new Uint8Array(count);
  const readsFrom = new Int32Array(count).fill(readsThinAir);
  const sessionOf = new Map<number, number>();
  const keyOf = new Map<string, number>();
  const processes: number[] = [];
  const keys: string[] = [];
  const sessionLists: number[][] = [];
  for (let from = 0; from < classified.length; from++) {
    const index = viewIndex[from] as number;
    if (index < 0) continue;
    const { operation, rw } = classified[from] as Classified;
    let s = sessionOf.get(operation.process);
    if (s === undefined) {
      s = processes.length;
      sessionOf.set(operation.process, s);
      processes.push(operation.process);
      sessionLists.push([]);
    }
    let k = keyOf.get(operation.key);
    if (k === undefined) {
      k = keys.length;
      keyOf.set(operation.key, k);
      keys.push(operation.key);
    }
    ids[index] = operation.id;
    session[index] = s;
    key[index] = k;
    const list = sessionLists[s] as number[];
    position[index] = list.length;
    list.push(index);
    if (rw.write !== undefined) isWrite[index] = 1;
    if (rw.read !== undefined) {
      isRead[index] = 1;
      const writer = classifiedReadsFrom[from] as number;
      // Every write a kept read returns is kept (keptMask), so the mapping is total.
      readsFrom[index] = writer < 0 ? writer : (viewIndex[writer] as number);
    }
  }
  return {
    count,
    ids,
    session,
    processCount: processes.length,
    processes,
    position,
    key,
    keys,
    isRead,
    isWrite,
    readsFrom,
    sessionOperations: sessionLists.map((list) => Int32Array.from(list)),
  };
}
