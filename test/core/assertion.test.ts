import { describe, expect, it } from 'vitest';
import { noOptions } from '../../src/protocol/options.js';
import type { Protocol } from '../../src/protocol/protocol.js';
import { registerProtocol } from '../../src/protocols/registry.js';
import { exitCodeFor } from '../../src/run/exit-code.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { parseScenario } from '../../src/scenario/load.js';
import { assert } from '../../src/util/assert.js';

/** A protocol whose only invariant is "my tick counter stays below 5" — and it does not. */
const ticking: Protocol<{ ticks: number }, { type: 'none' }, Record<string, never>, 'tick'> = {
  name: 'test-ticking',
  description: 'test fixture: asserts on its fifth tick',
  deduplicatesRetries: false,
  options: noOptions('test-ticking'),
  messages: { none: 'never sent' },
  timers: { tick: 'counts a tick' },
  init(context) {
    context.setTimer('tick', 100_000);
    return { ticks: 0 };
  },
  onMessage() {},
  onTimer(state, _name, context) {
    state.ticks++;
    assert(state.ticks < 5, 'tick counter must stay below 5');
    context.setTimer('tick', 100_000);
  },
  onClientRequest(_state, request, context) {
    context.reply(request.requestId, { status: 'ok', value: null });
  },
  renderMessage: () => 'none',
};

describe('an assertion inside protocol code', () => {
  it('fails the run at once, naming the node, the time and the place in the code', () => {
    registerProtocol(ticking);
    const scenario = parseScenario(['nodes: 1', 'protocol: { name: test-ticking }', 'workload: { kind: register, clients: 1 }', 'duration: 5s', 'check: { linearizability: false }'].join('\n'));
    const { result } = runScenario(scenario, { seed: 3 });
    expect(result.verdict.kind).toBe('assertion');
    expect(result.verdict.detail).toBe('assertion failed on n0 at 0.500000s: tick counter must stay below 5');
    expect(result.verdict.where?.[0]).toMatch(/assert/);
    expect(result.simulatedTime).toBe(500_000); // stopped there, not at the end of the duration
    expect(exitCodeFor(result.verdict.kind)).toBe(1);
  });
});
