import { describe, expect, it } from 'vitest';
import { findProtocol } from '../../src/protocols/registry.js';
import { exitCodeFor } from '../../src/run/exit-code.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { InternalError, thrownBySimulator } from '../../src/sim/internal-error.js';
import { millis } from '../../src/sim/time.js';
import { World } from '../../src/sim/world.js';
import { MiniWorld } from './mini-world.js';

/** A short Raft run with crashes, loss, duplication and partitions (hold mode on one case). */
function shortRaft(file = 'scenarios/raft-crash-restart-storm.yaml') {
  const scenario = loadScenarioFile(file);
  return { ...scenario, duration: millis(2_000), liveness: undefined };
}

describe('the simulator checks its own rules', () => {
  it('a host changes status only as a fault can: up/paused -> down -> up, up <-> paused', () => {
    const world = new MiniWorld({ nodes: 2 });
    const host = world.hosts[1]!;
    expect(() => host.resume()).toThrow(/node 1 resumed while up/);
    expect(() => host.restart()).toThrow(InternalError);
    host.pause();
    expect(() => host.pause()).toThrow(/node 1 paused while paused/);
    host.crash(false); // a paused node can crash
    expect(host.status).toBe('down');
    expect(() => host.crash(false)).toThrow(/node 1 crashed while down \(down -> down is not a status change a host makes\)/);
    expect(() => host.pause()).toThrow(InternalError);
    host.restart();
    expect(host.status).toBe('up');
  });

  it('every message sent is delivered, dropped, in flight or held; a miscount is an internal error', () => {
    for (const mode of ['drop', 'hold'] as const) {
      const world = new MiniWorld({ nodes: 3, mode, link: { lossPpm: 200_000, duplicatePpm: 200_000 } });
      for (let i = 0; i < 50; i++) world.inject(i % 3, (i + 1) % 3, { type: 'Note', text: `m${i}` });
      world.network.partition({ shape: 'isolate', node: 2 });
      for (let i = 0; i < 50; i++) world.inject(i % 3, (i + 1) % 3, { type: 'Note', text: `n${i}` });
      world.runUntil(millis(1)); // some still in flight at 1ms (latency 1ms)
      world.network.assertBalanced();
      world.hosts[0]!.crash(false);
      world.runUntil(millis(50));
      world.network.assertBalanced();
      world.network.heal();
      world.network.assertBalanced();
      world.runUntil(millis(100));
      world.network.assertBalanced();
      const counters = world.network.counters;
      expect(counters.delivered).toBeGreaterThan(0);
      expect(counters.droppedLoss + counters.duplicated).toBeGreaterThan(0);
      if (mode === 'hold') expect(counters.held).toBeGreaterThan(0);
      else expect(counters.droppedPartition).toBeGreaterThan(0);
      counters.delivered++;
      expect(() => world.network.assertBalanced()).toThrow(/message counters do not balance: sent \d+ \+ duplicated \d+ != delivered \d+/);
    }
  });

  it('a whole run balances its counters (checked at the end of every run)', () => {
    const { result } = runScenario(shortRaft(), { seed: 3, skipLinearizability: true });
    expect(result.verdict.kind).toBe('pass');
    expect(result.messages.sent).toBeGreaterThan(100);
  });

  it('virtual time never goes backwards: an event due before the time reached is an internal error', () => {
    const world = new World(shortRaft(), findProtocol('raft')!, { seed: 1, keepTrace: false });
    world.schedule(-1, { kind: 'phase', phase: 'liveness' }); // as a scheduling bug would
    world.run();
    expect(world.interruption?.kind).toBe('internal');
    expect(world.interruption?.detail).toBe('InternalError: virtual time went backwards: an event at -0.000001s after 0.000000s');
  });

  it('an error thrown by simulator code is internal (exit 4, with the seed); one thrown by the protocol stays an assertion', () => {
    // A TypeError inside the network's own code: its link table lost its entries.
    const world = new World(shortRaft(), findProtocol('raft')!, { seed: 5, keepTrace: false });
    (world.network as unknown as { links: unknown[] }).links = [];
    world.run();
    expect(world.interruption?.kind).toBe('internal');
    expect(world.interruption?.detail).toMatch(/^TypeError: /);
    expect(exitCodeFor('internal')).toBe(4);
    expect(exitCodeFor('assertion')).toBe(1);

    // The planted bug trips the protocol's own assertion: that is the protocol's, as before.
    const planted = loadScenarioFile('scenarios/pb-async-replication-unsafe.yaml');
    const { result } = runScenario(planted, { seed: 1, skipLinearizability: true });
    expect(['assertion', 'not-linearizable', 'pass']).toContain(result.verdict.kind);
    expect(result.verdict.kind).not.toBe('internal');
  });

  it('the verdict of an internal error names the seed and says the bug is faultline', () => {
    const scenario = shortRaft();
    const world = new World(scenario, findProtocol('raft')!, { seed: 9, keepTrace: false });
    expect(world.seed).toBe(9);
    const error = new TypeError('x');
    error.stack = `TypeError: x\n    at Network.send (${new URL('../../src/network/network.ts', import.meta.url).pathname}:10:5)`;
    expect(thrownBySimulator(error)).toBe(true);
    error.stack = `TypeError: x\n    at Array.push (<anonymous>)\n    at onPrepare (${new URL('../../src/protocols/primary-backup/protocol.ts', import.meta.url).pathname}:10:5)\n    at NodeHost.deliverMessage (${new URL('../../src/node/host.ts', import.meta.url).pathname}:1:1)`;
    expect(thrownBySimulator(error)).toBe(false);
    error.stack = `AssertionFailure: node 1 sends to itself\n    at fail (${new URL('../../src/util/assert.ts', import.meta.url).pathname}:20:9)\n    at HostContext.send (${new URL('../../src/node/host-context.ts', import.meta.url).pathname}:40:5)`;
    expect(thrownBySimulator(error)).toBe(false);
    error.stack = `AssertionFailure: bad\n    at fail (${new URL('../../src/util/assert.ts', import.meta.url).pathname}:20:9)\n    at EventQueue.pushReserved (${new URL('../../src/sim/event-queue.ts', import.meta.url).pathname}:40:5)`;
    expect(thrownBySimulator(error)).toBe(true);
    error.stack = `Error: mine\n    at onMessage (file:///home/user/my-protocol.mjs:3:9)`;
    expect(thrownBySimulator(error)).toBe(false);
  });
});
