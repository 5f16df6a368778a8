import { describe, expect, it } from 'vitest';
import { parseKvOperation, type KvOperation } from '../../src/protocols/kv/operation.js';
import { applyKvCommand, createKvStore, executeKvOperation, restoreKvStore, snapshotKvStore } from '../../src/protocols/kv/store.js';

function operation(f: string, key: string, value: KvOperation['value']): KvOperation {
  const parsed = parseKvOperation({ f, key, value });
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

describe('the key-value state machine', () => {
  it('reads null for an absent key and the written value after a write', () => {
    const store = createKvStore();
    expect(executeKvOperation(store, operation('read', 'x', null))).toEqual({ status: 'ok', value: null });
    executeKvOperation(store, operation('write', 'x', 'a'));
    expect(executeKvOperation(store, operation('read', 'x', null))).toEqual({ status: 'ok', value: 'a' });
  });

  it('compares and sets only on a match, and fails definitely otherwise', () => {
    const store = createKvStore();
    expect(executeKvOperation(store, operation('cas', 'x', [null, 'a']))).toEqual({ status: 'ok', value: [null, 'a'] });
    expect(executeKvOperation(store, operation('cas', 'x', ['b', 'c']))).toEqual({ status: 'fail', error: 'cas mismatch' });
    expect(store.data.get('x')).toBe('a');
  });

  it('appends to the empty string when the key is absent', () => {
    const store = createKvStore();
    executeKvOperation(store, operation('append', 'x', 'a'));
    executeKvOperation(store, operation('append', 'x', 'b'));
    expect(store.data.get('x')).toBe('ab');
  });

  it('applies a retried command once and answers it with the first response', () => {
    const store = createKvStore();
    const command = { clientId: 1, sequence: 1, operation: operation('append', 'x', 'a') };
    const first = applyKvCommand(store, command);
    expect(applyKvCommand(store, command)).toBe(first);
    expect(store.data.get('x')).toBe('a');
  });

  it('does not apply a sequence older than the session', () => {
    const store = createKvStore();
    applyKvCommand(store, { clientId: 1, sequence: 2, operation: operation('append', 'x', 'b') });
    expect(applyKvCommand(store, { clientId: 1, sequence: 1, operation: operation('append', 'x', 'a') }).status).toBe('unknown');
    expect(store.data.get('x')).toBe('b');
  });

  it('rejects malformed operations before they reach a log', () => {
    expect(parseKvOperation({ f: 'increment', key: 'x', value: 1 })).toBe("unknown operation 'increment'");
    expect(parseKvOperation({ f: 'append', key: 'x', value: 1 })).toBe('append needs a string value');
    expect(parseKvOperation({ f: 'cas', key: 'x', value: 'a' })).toBe('cas needs [expected, new]');
    expect(parseKvOperation({ f: 'read', value: null })).toBe("operation 'read' needs a string key");
  });

  it('restores from its snapshot to an equal store, and refuses a malformed image', () => {
    const store = createKvStore();
    applyKvCommand(store, { clientId: 3, sequence: 1, operation: operation('write', 'y', 'v') });
    applyKvCommand(store, { clientId: 2, sequence: 5, operation: operation('append', 'x', 'a') });
    const restored = restoreKvStore(snapshotKvStore(store));
    expect(restored).toEqual(store);
    expect(snapshotKvStore(restored!)).toEqual(snapshotKvStore(store));
    expect(restoreKvStore({ data: 'nope', sessions: [] })).toBeUndefined();
  });
});
