import type { Json } from '../../history/operation.js';
import type { ClientOperation } from '../../protocol/client-types.js';

/**
 * A key-value operation in the shape the state machine stores in a replicated log. Unlike
 * `ClientOperation`, `key` is required and the type is plain JSON, so a log entry holding it can
 * be persisted and sent as is.
 */
export type KvOperation = {
  f: KvFunction;
  key: string;
  value: Json;
};

/**
 * Beyond the register operations, the service has the data types of the classic workloads:
 *   add      {key, value: integer}  counter: adds the delta (absent = 0)
 *   sadd     {key, value: any}      grow-only set: adds the element (absent = empty)
 *   enqueue  {key, value: any}      FIFO queue: appends the element
 *   dequeue  {key}                  FIFO queue: removes and returns the head, null when empty
 *   acquire  {key, value: owner}    lock: ok with a fencing token when free, fail when held
 *   release  {key, value: owner}    lock: ok when `owner` holds it, fail otherwise
 *   locks    {key, value: command}  a lock table with sessions and sequential ephemeral entries
 *                                   (lock-table.ts; the lock service's state machine)
 * A read returns whatever the key holds (a number, an array, the owner), null when absent.
 */
export type KvFunction = 'read' | 'write' | 'cas' | 'append' | 'add' | 'sadd' | 'enqueue' | 'dequeue' | 'acquire' | 'release' | 'locks';

const FUNCTIONS: readonly string[] = ['read', 'write', 'cas', 'append', 'add', 'sadd', 'enqueue', 'dequeue', 'acquire', 'release', 'locks'];

/**
 * Checks a client operation and converts it, or explains why it is malformed. A malformed
 * operation is answered `fail` at once: it definitely never takes effect.
 */
export function parseKvOperation(operation: ClientOperation): KvOperation | string {
  if (!FUNCTIONS.includes(operation.f)) return `unknown operation '${operation.f}'`;
  if (typeof operation.key !== 'string') return `operation '${operation.f}' needs a string key`;
  const f = operation.f as KvFunction;
  const value = operation.value === undefined ? null : operation.value;
  if (f === 'append' && typeof value !== 'string') return 'append needs a string value';
  if (f === 'cas' && !(Array.isArray(value) && value.length === 2)) return 'cas needs [expected, new]';
  if (f === 'add' && !Number.isSafeInteger(value)) return 'add needs an integer delta';
  if ((f === 'acquire' || f === 'release') && value === null) return `${f} needs an owner`;
  return { f, key: operation.key, value };
}

/** Whether the operation changes the store (and so must go through the log). */
export function isKvWrite(operation: KvOperation): boolean {
  return operation.f !== 'read';
}

/** Equality of stored values: strings and numbers by value, anything else structurally. */
export function jsonEquals(left: Json, right: Json): boolean {
  if (left === right) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
  return JSON.stringify(left) === JSON.stringify(right);
}
