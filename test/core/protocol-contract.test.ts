import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { declaredNames } from '../../src/protocol/declared-names.js';
import { boolean, choice, defineOptions, integer, noOptions, OptionsError } from '../../src/protocol/options.js';
import type { Protocol } from '../../src/protocol/protocol.js';
import { allProtocols, registerProtocol } from '../../src/protocols/registry.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { parseScenario } from '../../src/scenario/load.js';
import { InputError } from '../../src/util/errors.js';

function loadError(text: string, file = 'contract.yaml'): string {
  try {
    parseScenario(text, file);
  } catch (error) {
    if (error instanceof InputError) return error.describe();
    throw error;
  }
  throw new Error('expected the scenario to be refused');
}

describe('scenario names are checked against what the protocol declares', () => {
  it('a misspelt trigger in the vote-persistence scenario exits 2 naming it, its field and the valid types', async () => {
    // With the misspelling the trigger never fired and the caught bug passed: now it is refused.
    const text = readFileSync('scenarios/raft-crash-after-vote-unsafe.yaml', 'utf8').replaceAll('send: vote-response', 'send: vote-responce');
    const file = join(mkdtempSync(join(tmpdir(), 'faultline-contract-')), 'misspelt.yaml');
    writeFileSync(file, text);
    const io = bufferIo();
    expect(await runCli(['run', file, '--out', join(tmpdir(), 'faultline-never-written')], io)).toBe(2);
    expect(io.stderr).toMatch(/^faultline: .*misspelt\.yaml:20:\d+: faults\[1\]\.after\.send: raft sends no message of type "vote-responce"; did you mean vote-response\? expected one of vote, vote-response, pre-vote,/);
    expect(io.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each(allProtocols().map((protocol) => [protocol.name, protocol] as const))('every message type of %s is accepted, and a near miss is refused', (name, protocol) => {
    const types = declaredNames(protocol).messageTypes;
    expect(types.length).toBeGreaterThan(0);
    const scenario = (type: string) =>
      [`nodes: 3`, `protocol: { name: ${name} }`, 'duration: 1s', 'faults:', `  - { at: 0ms, after: { send: ${JSON.stringify(type)} }, action: crash, node: sender, for: 1ms }`].join('\n');
    for (const type of types) expect(() => parseScenario(scenario(type))).not.toThrow();
    const misspelt = `${types[0]}x`;
    expect(loadError(scenario(misspelt))).toContain(`faults[0].after.send: ${name} sends no message of type "${misspelt}"; did you mean ${types[0]}?`);
  });

  it('an unknown protocol name suggests the close one and --import', () => {
    expect(loadError('nodes: 3\nprotocol: { name: rafft }\nduration: 1s')).toMatch(/protocol\.name: unknown protocol "rafft"; did you mean raft\? .*--import/);
  });
});

describe('defineOptions: one way to declare options', () => {
  interface Demo {
    timeoutMs: number;
    fast: boolean;
    mode: 'a' | 'b';
  }
  const spec = defineOptions<Demo>(
    'demo',
    {
      timeoutMs: integer({ default: 100, min: 10, max: 1000, unit: 'ms', doc: 'a timeout' }),
      fast: boolean({ default: false, doc: 'go fast' }),
      mode: choice(['a', 'b'], { default: 'a', doc: 'a mode' }),
    },
    (options) => {
      if (options.fast && options.mode === 'b') throw new OptionsError('mode', 'b cannot be fast');
    },
  );
  const errorOf = (raw: unknown): string => {
    try {
      spec.parse(raw);
    } catch (error) {
      if (error instanceof OptionsError) return `${error.path}: ${error.message}`;
      throw error;
    }
    return 'accepted';
  };

  it('absent, empty and undefined values all mean the default', () => {
    const defaults = { timeoutMs: 100, fast: false, mode: 'a' };
    expect(spec.parse(undefined)).toEqual(defaults);
    expect(spec.parse(null)).toEqual(defaults);
    expect(spec.parse({})).toEqual(defaults);
    expect(spec.parse({ timeoutMs: undefined })).toEqual(defaults);
    expect(spec.parse({ timeoutMs: 500 }).timeoutMs).toBe(500);
  });

  it('words every error the same way, with units and bounds', () => {
    expect(errorOf({ timeoutMs: 5 })).toBe('timeoutMs: expected an integer number of milliseconds from 10 to 1000, got 5');
    expect(errorOf({ timeoutMs: null })).toBe('timeoutMs: expected an integer number of milliseconds from 10 to 1000, got nothing (null)');
    expect(errorOf({ fast: 'yes' })).toBe('fast: expected true or false, got "yes"');
    expect(errorOf({ mode: 'c' })).toBe('mode: expected one of a, b, got "c"');
    expect(errorOf([1])).toBe(': expected a mapping of demo options, got a list');
    expect(errorOf({ fast: true, mode: 'b' })).toBe('mode: b cannot be fast');
  });

  it('rejects unknown keys with the valid list and a suggestion', () => {
    expect(errorOf({ timeoutMS: 3 })).toBe('timeoutMS: unknown demo option "timeoutMS"; did you mean timeoutMs? expected one of timeoutMs, fast, mode');
    expect(() => noOptions('bare').parse({ x: 1 })).toThrow(/unknown bare option "x"/);
  });

  it('describes itself for faultline list', () => {
    expect(spec.describe()[0]).toEqual({ name: 'timeoutMs', kind: 'integer', default: 100, unit: 'ms', min: 10, max: 1000, doc: 'a timeout' });
  });
});

/** Sends, arms and marks whatever its options say: for checking what the host allows. */
type Misbehaviour = 'none' | 'message' | 'timer' | 'mark';
const misbehaving: Protocol<{ ticks: number; misbehave: Misbehaviour }, { type: 'ping' }, { misbehave: Misbehaviour }, 'tick', 'ticked'> = {
  name: 'test-misbehaving',
  description: 'test fixture: uses an undeclared name when told to',
  deduplicatesRetries: false,
  options: defineOptions<{ misbehave: Misbehaviour }>('test-misbehaving', { misbehave: choice(['none', 'message', 'timer', 'mark'], { default: 'none', doc: 'which undeclared name to use' }) }),
  messages: { ping: 'a ping' },
  timers: { tick: 'a tick' },
  marks: { ticked: 'a tick fired' },
  init(context, _disk, options) {
    context.setTimer('tick', 100_000);
    return { ticks: 0, misbehave: options.misbehave };
  },
  onMessage() {},
  onTimer(state, _name, context) {
    state.ticks++;
    context.mark('ticked');
    const peer = context.nodes.find((node) => node !== context.id)!;
    context.send(peer, { type: 'ping' });
    // The casts stand for a plain-JavaScript protocol, which no compiler checks.
    if (state.misbehave === 'message') context.send(peer, { type: 'pong' } as unknown as { type: 'ping' });
    if (state.misbehave === 'timer') context.setTimer('tock' as 'tick', 1);
    if (state.misbehave === 'mark') context.mark('tocked' as 'ticked');
    context.setTimer('tick', 100_000);
  },
  onClientRequest(_state, request, context) {
    context.reply(request.requestId, { status: 'ok', value: null });
  },
  renderMessage: (message) => message.type,
};

describe('the host holds a protocol to its declarations', () => {
  registerProtocol(misbehaving);
  const run = (misbehave: Misbehaviour) =>
    runScenario(parseScenario(['nodes: 2', `protocol: { name: test-misbehaving, options: { misbehave: ${misbehave} } }`, 'workload: { kind: register, clients: 1 }', 'duration: 1s', 'check: { linearizability: false }'].join('\n')), { seed: 1 }).result;

  it('counts declared marks outside the trace', () => {
    const result = run('none');
    expect(result.verdict.kind).toBe('pass');
    expect(result.marks).toEqual({ ticked: 20 }); // two nodes, ten ticks each in 1 s
  });

  it.each([
    ['message', /test-misbehaving node \d sent undeclared message type "pong"; declared: ping/],
    ['timer', /test-misbehaving node \d used undeclared timer "tock"; declared: tick/],
    ['mark', /test-misbehaving node \d reached undeclared mark "tocked"; declared: ticked/],
  ] as const)('an undeclared %s fails the run as an assertion naming it', (misbehave, expected) => {
    const result = run(misbehave);
    expect(result.verdict.kind).toBe('assertion');
    expect(result.verdict.detail).toMatch(expected);
  });
});

describe('faultline list shows what a scenario may name', () => {
  it('lists message types, timers, marks and options with defaults and units', async () => {
    const io = bufferIo();
    expect(await runCli(['list', '--json'], io)).toBe(0);
    const listing = JSON.parse(io.stdout) as { protocols: { name: string; messages: { name: string }[]; timers: { name: string }[]; marks: { name: string }[]; options: { name: string; default: unknown; unit?: string }[] }[] };
    const raft = listing.protocols.find((p) => p.name === 'raft')!;
    expect(raft.messages.map((m) => m.name)).toContain('vote-response');
    expect(raft.timers.map((t) => t.name)).toEqual(['election', 'heartbeat', 'check-quorum']);
    expect(raft.marks.map((m) => m.name)).toContain('snapshot-taken');
    expect(raft.options.find((o) => o.name === 'electionTimeoutMinMs')).toMatchObject({ default: 150, unit: 'ms' });

    const text = bufferIo();
    expect(await runCli(['list'], text)).toBe(0);
    expect(text.stdout).toMatch(/messages: Prepare, PrepareOk, Commit/);
    expect(text.stdout).toMatch(/heartbeatMs = 50 ms \(integer ≥ 1\): how often the primary sends Commit heartbeats/);
  });
});
