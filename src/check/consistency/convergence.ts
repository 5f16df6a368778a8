import type { HistoryEvent, Json } from '../../history/operation.js';
import { valueKey } from '../value-key.js';

const jsonEquals = (a: Json, b: Json): boolean => a === b || valueKey(a) === valueKey(b);

/**
 * Convergence (eventual consistency): once the system has been quiet long enough, every replica
 * holds the same data, and that data reflects every acknowledged write. It is judged on the
 * replicas' final data, read after a quiescent phase, together with the client history: no
 * order of operations is searched for, so it is cheap at any size.
 *
 * What "reflects" means depends on the operation that wrote the key:
 * - `write` / `cas` (registers, key-value): the final value is one some write (acknowledged or
 *   indeterminate) wrote, and no acknowledged write began after that write had completed (it
 *   would have overwritten it); a key never acknowledged-written may stay absent.
 * - `add` (counter): the final value is the sum of the acknowledged deltas plus some subset of
 *   the indeterminate ones (checked exactly up to 20 indeterminate adds, by bounds beyond).
 * - `sadd` (grow-only set): every acknowledged element is present, and every element present was
 *   added by some acknowledged or indeterminate operation.
 * Other operations (append, queues, locks) have no convergence rule here: the verdict is
 * `unknown`, with the reason.
 */
export interface ReplicaData {
  readonly node: number;
  /** key → value; undefined when the node holds no replica (see Protocol.replicaData). */
  readonly data: ReadonlyMap<string, Json> | undefined;
}

export type ConvergenceVerdict =
  | { readonly verdict: 'holds'; readonly replicas: number; readonly keys: number }
  | { readonly verdict: 'violated'; readonly summary: string }
  | { readonly verdict: 'unknown'; readonly reason: string };

interface KeyedWrite {
  readonly f: string;
  readonly value: Json;
  readonly outcome: 'ok' | 'info';
  readonly callTime: number;
  /** Infinity for an indeterminate write. */
  readonly returnTime: number;
  /** Index of the invocation in the history, for messages (#n). */
  readonly id: number;
}

const WRITE_FUNCTIONS = new Set(['write', 'cas', 'add', 'sadd']);
const READ_ONLY = new Set(['read']);
const EXACT_SUBSET_LIMIT = 20;

export function checkConvergence(replicas: readonly ReplicaData[], history: readonly HistoryEvent[]): ConvergenceVerdict {
  const serving = replicas.filter((replica) => replica.data !== undefined) as { node: number; data: ReadonlyMap<string, Json> }[];
  if (serving.length === 0) return { verdict: 'unknown', reason: 'no node holds a replica at the end of the run' };
  const writes = collectWrites(history);
  if (typeof writes === 'string') return { verdict: 'unknown', reason: writes };
  const keys = new Set<string>(writes.keys());
  for (const replica of serving) for (const key of replica.data.keys()) keys.add(key);
  for (const key of [...keys].sort()) {
    const problem = disagreement(serving, key) ?? unreflected(serving[0]!.data.get(key), key, writes.get(key) ?? []);
    if (problem !== undefined) return { verdict: 'violated', summary: problem };
  }
  return { verdict: 'holds', replicas: serving.length, keys: keys.size };
}

/** The writes of each key, paired from the history; a string when the history has a kind without a rule. */
function collectWrites(history: readonly HistoryEvent[]): Map<string, KeyedWrite[]> | string {
  const open = new Map<number, { event: HistoryEvent; id: number }>();
  const byKey = new Map<string, KeyedWrite[]>();
  const add = (invoke: HistoryEvent, id: number, completion: HistoryEvent | undefined): void => {
    if (completion?.type === 'fail') return; // definitely did not take effect
    const key = invoke.key ?? '';
    const list = byKey.get(key) ?? [];
    byKey.set(key, list);
    const determinate = completion !== undefined && completion.type === 'ok';
    list.push({ f: invoke.f, value: invoke.value, outcome: determinate ? 'ok' : 'info', callTime: invoke.time, returnTime: determinate ? completion.time : Infinity, id });
  };
  for (let index = 0; index < history.length; index++) {
    const event = history[index]!;
    if (event.type === 'invoke') {
      if (!READ_ONLY.has(event.f) && !WRITE_FUNCTIONS.has(event.f)) return `no convergence rule for "${event.f}" operations (registers, counters and sets have one)`;
      open.set(event.process, { event, id: index });
      continue;
    }
    const call = open.get(event.process);
    if (call === undefined) continue;
    open.delete(event.process);
    if (WRITE_FUNCTIONS.has(call.event.f)) add(call.event, call.id, event);
  }
  for (const call of open.values()) if (WRITE_FUNCTIONS.has(call.event.f)) add(call.event, call.id, undefined);
  return byKey;
}

function disagreement(replicas: readonly { node: number; data: ReadonlyMap<string, Json> }[], key: string): string | undefined {
  const first = replicas[0]!;
  const expected = first.data.get(key) ?? null;
  for (const replica of replicas.slice(1)) {
    const value = replica.data.get(key) ?? null;
    if (!sameValue(expected, value)) {
      return `replicas disagree on key ${JSON.stringify(key)} after the quiet period: n${first.node} holds ${JSON.stringify(expected)}, n${replica.node} holds ${JSON.stringify(value)}`;
    }
  }
  return undefined;
}

/** Sets are compared as sets: two replicas may have added the same elements in another order. */
function sameValue(a: Json, b: Json): boolean {
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return a.every((element) => b.some((other) => jsonEquals(element, other)));
  return jsonEquals(a, b);
}

function unreflected(final: Json | undefined, key: string, writes: readonly KeyedWrite[]): string | undefined {
  if (writes.length === 0) return final === undefined || final === null ? undefined : `key ${JSON.stringify(key)} holds ${JSON.stringify(final)}, which no operation wrote`;
  const kinds = new Set(writes.map((write) => (write.f === 'cas' ? 'write' : write.f)));
  if (kinds.size > 1) return undefined; // mixed kinds on one key fail at the store, the same on every replica
  switch ([...kinds][0]) {
    case 'add':
      return counterProblem(final, key, writes);
    case 'sadd':
      return setProblem(final, key, writes);
    default:
      return registerProblem(final, key, writes);
  }
}

function registerProblem(final: Json | undefined, key: string, writes: readonly KeyedWrite[]): string | undefined {
  const written = (write: KeyedWrite): Json => (write.f === 'cas' && Array.isArray(write.value) ? (write.value[1] ?? null) : write.value);
  const value = final ?? null;
  const acknowledged = writes.filter((write) => write.outcome === 'ok');
  const candidates = writes.filter((write) => jsonEquals(written(write), value));
  if (value === null && acknowledged.length === 0) return undefined;
  if (candidates.length === 0) return `key ${JSON.stringify(key)} holds ${JSON.stringify(value)}, which no operation wrote, though ${acknowledged.length} writes were acknowledged`;
  const survivor = candidates.find((candidate) => !acknowledged.some((later) => later.callTime > candidate.returnTime));
  if (survivor !== undefined) return undefined;
  const candidate = candidates[candidates.length - 1]!;
  const later = acknowledged.find((write) => write.callTime > candidate.returnTime)!;
  return `key ${JSON.stringify(key)} holds ${JSON.stringify(value)} from #${candidate.id}, but the acknowledged write #${later.id} of ${JSON.stringify(written(later))} began after #${candidate.id} completed: it was lost`;
}

function counterProblem(final: Json | undefined, key: string, writes: readonly KeyedWrite[]): string | undefined {
  const value = final ?? 0;
  if (typeof value !== 'number') return `counter ${JSON.stringify(key)} holds ${JSON.stringify(value)}, not a number`;
  const definite = writes.filter((write) => write.outcome === 'ok').reduce((sum, write) => sum + (write.value as number), 0);
  const optional = writes.filter((write) => write.outcome === 'info').map((write) => write.value as number);
  if (reachable(value - definite, optional)) return undefined;
  const rest = optional.length === 0 ? 'and no add is indeterminate' : `and no subset of the ${optional.length} indeterminate adds makes up the difference`;
  return `counter ${JSON.stringify(key)} holds ${value}, but the acknowledged adds sum to ${definite}, ${rest}`;
}

/** Whether `target` is the sum of some subset of `deltas` (exactly for few, by bounds beyond). */
function reachable(target: number, deltas: readonly number[]): boolean {
  if (deltas.length > EXACT_SUBSET_LIMIT) {
    const low = deltas.filter((delta) => delta < 0).reduce((sum, delta) => sum + delta, 0);
    const high = deltas.filter((delta) => delta > 0).reduce((sum, delta) => sum + delta, 0);
    return target >= low && target <= high;
  }
  let sums = new Set([0]);
  for (const delta of deltas) sums = new Set([...sums, ...[...sums].map((sum) => sum + delta)]);
  return sums.has(target);
}

function setProblem(final: Json | undefined, key: string, writes: readonly KeyedWrite[]): string | undefined {
  const members = final ?? [];
  if (!Array.isArray(members)) return `set ${JSON.stringify(key)} holds ${JSON.stringify(members)}, not a set`;
  const missing = writes.find((write) => write.outcome === 'ok' && !members.some((member) => jsonEquals(member, write.value)));
  if (missing !== undefined) return `set ${JSON.stringify(key)} lacks ${JSON.stringify(missing.value)}, whose add #${missing.id} was acknowledged`;
  const phantom = members.find((member) => !writes.some((write) => jsonEquals(member, write.value)));
  if (phantom !== undefined) return `set ${JSON.stringify(key)} holds ${JSON.stringify(phantom)}, which no operation added`;
  return undefined;
}
