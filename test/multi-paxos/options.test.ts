import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
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

/** `faultline run` on a scenario text: the exit code and what it printed on stderr. */
async function runText(text: string): Promise<{ code: number; stderr: string; stdout: string }> {
  const file = join(mkdtempSync(join(tmpdir(), 'faultline-paxos-')), 'paxos.yaml');
  writeFileSync(file, text);
  const io = bufferIo();
  const code = await runCli(['run', file, '--out', join(tmpdir(), 'faultline-never-written')], io);
  return { code, stderr: io.stderr, stdout: io.stdout };
}

describe('bad Multi-Paxos input on the command line', () => {
  const scenario = (extra: string[]) => ['nodes: 3', 'protocol:', '  name: multi-paxos', ...extra, 'duration: 1s'].join('\n');

  it('an unknown option exits 2 with one line: file:line:col, the field, and the valid name', async () => {
    const { code, stderr, stdout } = await runText(scenario(['  options: { windowSlot: 8 }']));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^faultline: .*paxos\.yaml:4:\d+: protocol\.options\.windowSlot: unknown multi-paxos option "windowSlot"; did you mean windowSlots\?/);
  });

  it('an ill-typed option exits 2 naming the expected type and unit', async () => {
    const { code, stderr } = await runText(scenario(['  options: { heartbeatIntervalMs: fast }']));
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/paxos\.yaml:4:\d+: protocol\.options\.heartbeatIntervalMs: expected an integer number of milliseconds/);
  });

  it("a fault triggered by a message Multi-Paxos does not have (Raft's append) exits 2 listing the ones it has", async () => {
    const { code, stderr } = await runText(scenario([]).replace('duration: 1s', ['duration: 1s', 'faults:', '  - { at: 0ms, after: { send: append }, action: crash, node: sender, for: 1ms }'].join('\n')));
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(
      /paxos\.yaml:6:\d+: faults\[0\]\.after\.send: multi-paxos sends no message of type "append"; .*prepare, promise, accept, accepted, nack, heartbeat, heartbeat-response, catch-up, catch-up-response/,
    );
  });

  it('faultline list shows every option with its default and unit', async () => {
    const io = bufferIo();
    expect(await runCli(['list', '--json'], io)).toBe(0);
    const listing = JSON.parse(io.stdout) as { protocols: { name: string; options: { name: string; default: unknown; unit?: string }[] }[] };
    const options = listing.protocols.find((protocol) => protocol.name === 'multi-paxos')!.options;
    expect(options.filter((option) => option.unit !== undefined).map((option) => [option.name, option.default, option.unit])).toEqual([
      ['electionTimeoutMinMs', 150, 'ms'],
      ['electionTimeoutMaxMs', 300, 'ms'],
      ['heartbeatIntervalMs', 50, 'ms'],
      ['windowSlots', 64, 'entries'],
      ['maxSlotsPerMessage', 64, 'entries'],
      ['snapshotThreshold', 1000, 'entries'],
      ['maxPendingRequests', 10_000, 'requests'],
      ['leaseMs', 120, 'ms'],
    ]);
    const text = bufferIo();
    expect(await runCli(['list'], text)).toBe(0);
    expect(text.stdout).toMatch(/windowSlots = 64 entries \(integer ≥ 1\): slots proposed and not yet chosen at once/);
    expect(text.stdout).toMatch(/readMode = log \(log \| lease\): /);
  });
});
