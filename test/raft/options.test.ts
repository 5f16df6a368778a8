import { describe, expect, it } from 'vitest';
import { OptionsError } from '../../src/protocol/protocol.js';
import { DEFAULT_RAFT_OPTIONS, parseRaftOptions } from '../../src/protocols/raft/index.js';

function errorOf(raw: unknown): { path: string; message: string } {
  try {
    parseRaftOptions(raw);
  } catch (error) {
    if (error instanceof OptionsError) return { path: error.path, message: error.message };
    throw error;
  }
  throw new Error('expected an OptionsError');
}

describe('raft options', () => {
  it('fills in every default when none are given', () => {
    expect(parseRaftOptions(undefined)).toEqual(DEFAULT_RAFT_OPTIONS);
    expect(parseRaftOptions({ preVote: false }).preVote).toBe(false);
  });

  it('names an unknown field', () => {
    const unknown = errorOf({ electionTimeoutMs: 100 });
    expect(unknown.path).toBe('electionTimeoutMs');
    expect(unknown.message).toMatch(/^unknown raft option "electionTimeoutMs"; expected one of electionTimeoutMinMs, electionTimeoutMaxMs, /);
    expect(errorOf({ prevote: true }).message).toMatch(/did you mean preVote\?/);
  });

  it('names a field of the wrong type', () => {
    expect(errorOf({ heartbeatIntervalMs: 1.5 }).path).toBe('heartbeatIntervalMs');
    expect(errorOf({ preVote: 'yes' }).path).toBe('preVote');
    expect(errorOf({ readMode: 'fast' }).path).toBe('readMode');
  });

  it('rejects inconsistent timing', () => {
    expect(errorOf({ electionTimeoutMinMs: 300, electionTimeoutMaxMs: 200 }).path).toBe('electionTimeoutMaxMs');
    expect(errorOf({ heartbeatIntervalMs: 150 }).path).toBe('heartbeatIntervalMs');
    expect(errorOf({ leaseMs: 200 }).path).toBe('leaseMs');
    expect(errorOf({ readMode: 'lease', checkQuorum: false }).path).toBe('readMode');
  });
});
