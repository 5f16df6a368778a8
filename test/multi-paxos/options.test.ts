import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { InputError } from '../../src/util/errors.js';
import { PAXOS_OPTIONS } from '../../src/protocols/multi-paxos/options.js';

/** Multi-Paxos options go through the shared mechanism: bad ones are refused at load, naming where. */
function loadError(options: string): string {
  const text = ['nodes: 3', 'protocol:', '  name: multi-paxos', `  options: ${options}`, 'duration: 1s'].join('\n');
  try {
    parseScenario(text, 'paxos.yaml');
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return error.describe();
  }
  throw new Error('expected the scenario to be refused');
}

describe('Multi-Paxos options', () => {
  it('every option has a default, a line of documentation, and the planted bugs are marked', () => {
    const described = PAXOS_OPTIONS.describe();
    expect(described.map((option) => option.name)).toContain('windowSlots');
    expect(described.filter((option) => option.plantedBug).map((option) => option.name)).toEqual([
      'unsafeForgetAcceptorState',
      'unsafeIgnorePromisedValues',
      'unsafeVolatileRound',
      'unsafeSkipPhase1Beyond',
    ]);
    for (const option of described) expect(option.doc, option.name).not.toBe('');
  });

  it('an unknown option is refused with its place and a suggestion', () => {
    expect(loadError('{ windowSlot: 8 }')).toMatch(/^paxos\.yaml:4:\d+: protocol\.options\.windowSlot: unknown multi-paxos option "windowSlot"; did you mean windowSlots\?/);
  });

  it('an ill-typed option is refused with the expected range and unit', () => {
    expect(loadError('{ windowSlots: 0 }')).toMatch(/^paxos\.yaml:4:\d+: protocol\.options\.windowSlots: expected an integer number of entries of at least 1, got 0/);
    expect(loadError('{ readMode: fast }')).toMatch(/protocol\.options\.readMode: expected one of log, lease, got "fast"/);
    expect(loadError('{ leaseMs: 500 }')).toMatch(/protocol\.options\.leaseMs: must not exceed electionTimeoutMinMs/);
  });
});
