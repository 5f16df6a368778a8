import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run/run-scenario.js';
import { parseScenario } from '../../src/scenario/load.js';

const DIST = fileURLToPath(new URL('../../dist/run/run-scenario.js', import.meta.url));
const WORKER = fileURLToPath(new URL('../fixtures/run-in-worker.mjs', import.meta.url));

/** A primary-backup scenario with the given fault lines, on a lossy, duplicating network. */
function scenarioText(faults: string[], extra = ''): string {
  return [
    'nodes: 5',
    'protocol: { name: primary-backup }',
    'network: { latency: { distribution: exponential, min: 1ms, mean: 3ms }, loss: 0.02, duplicate: 0.02, reorder: { probability: 0.05, delay: 20ms } }',
    'workload: { kind: cas-register, clients: 3, thinkTime: 30ms, keys: 3 }',
    'duration: 3s',
    extra,
    faults.length === 0 ? '' : 'faults:\n' + faults.map((line) => `  - ${line}`).join('\n'),
  ].join('\n');
}

const faultArbitrary = fc.oneof(
  fc.record({ at: fc.integer({ min: 0, max: 2500 }), node: fc.constantFrom('leader', 'random', 'random-minority', '0', '3'), length: fc.integer({ min: 50, max: 800 }) }).map(
    (f) => `{ at: ${f.at}ms, action: crash, node: ${f.node}, for: ${f.length}ms }`,
  ),
  fc.record({ at: fc.integer({ min: 0, max: 2500 }), shape: fc.constantFrom('isolate, node: leader', 'split, minority: random-minority', 'bridge', 'majorities-ring'), length: fc.integer({ min: 50, max: 800 }) }).map(
    (f) => `{ at: ${f.at}ms, action: partition, partition: { shape: ${f.shape} }, for: ${f.length}ms }`,
  ),
  fc.record({ at: fc.integer({ min: 0, max: 2500 }), length: fc.integer({ min: 50, max: 500 }) }).map((f) => `{ at: ${f.at}ms, action: pause, node: random, for: ${f.length}ms }`),
  fc.record({ at: fc.integer({ min: 0, max: 2500 }), drift: fc.integer({ min: -200_000, max: 200_000 }) }).map((f) => `{ at: ${f.at}ms, action: clock, node: random, offset: 30ms, driftPpm: ${f.drift} }`),
  fc
    .record({
      at: fc.integer({ min: 0, max: 2500 }),
      type: fc.constantFrom('Prepare', 'PrepareOk', 'StartViewChange', 'DoViewChange'),
      probability: fc.constantFrom(0.05, 0.5, 1),
      action: fc.constantFrom('crash', 'pause'),
      length: fc.integer({ min: 1, max: 300 }),
    })
    .map((f) => `{ at: ${f.at}ms, until: 3s, after: { send: ${f.type} }, probability: ${f.probability}, action: ${f.action}, node: sender, for: ${f.length}ms }`),
);

function hashOf(text: string, seed: number): string {
  return runScenario(parseScenario(text), { seed, skipLinearizability: true }).result.traceHash;
}

function hashInWorker(text: string, seed: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: { text, seed } });
    worker.once('message', (message: { hash: string }) => resolve(message.hash));
    worker.once('error', reject);
  });
}

describe('determinism', () => {
  beforeAll(() => {
    if (!existsSync(DIST)) throw new Error('dist/ is missing: run `npm run build` first (npm test does it)');
  });

  it('the same scenario and seed give the same trace hash, for random seeds and fault schedules', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.array(faultArbitrary, { maxLength: 5 }), (seed, faults) => {
        const text = scenarioText(faults);
        expect(hashOf(text, seed)).toBe(hashOf(text, seed));
      }),
      { numRuns: 15 },
    );
  });

  it('a run in a worker thread gives the same hash as one on the main thread', async () => {
    const samples = fc.sample(fc.tuple(fc.nat(1_000_000), fc.array(faultArbitrary, { maxLength: 4 })), { numRuns: 4, seed: 11 });
    for (const [seed, faults] of samples) {
      const text = scenarioText(faults);
      expect(await hashInWorker(text, seed)).toBe(hashOf(text, seed));
    }
  });

  it('different seeds give different traces', () => {
    const text = scenarioText(['{ at: 1s, action: crash, node: leader, for: 500ms }']);
    const hashes = new Set([1, 2, 3, 4, 5, 6].map((seed) => hashOf(text, seed)));
    expect(hashes.size).toBe(6);
  });

  it('adding a fault does not change what the clients ask for (their own streams)', () => {
    const ops = (text: string) => {
      const output = runScenario(parseScenario(text), { seed: 5, skipLinearizability: true });
      const byClient = new Map<string, string[]>();
      for (const event of output.history) {
        if (event.type !== 'invoke') continue;
        const written = Array.isArray(event.value) ? String(event.value[1]) : String(event.value);
        const client = written.split('.')[0]!;
        byClient.set(client, [...(byClient.get(client) ?? []), `${event.f} ${event.key} ${written}`]);
      }
      return byClient;
    };
    const mix = 'workload: { kind: cas-register, clients: 3, thinkTime: 30ms, keys: 4, mix: { write: 1, cas: 1 } }';
    const calm = ops(scenarioText([]).replace(/workload:.*/, mix));
    const faulty = ops(scenarioText(['{ at: 500ms, action: crash, node: leader, for: 1s }', '{ at: 1s, action: partition, partition: { shape: bridge }, for: 1s }']).replace(/workload:.*/, mix));
    expect([...faulty.keys()].sort()).toEqual([...calm.keys()].sort());
    for (const [client, sequence] of faulty) {
      const shared = Math.min(sequence.length, calm.get(client)!.length);
      expect(shared).toBeGreaterThan(10);
      expect(sequence.slice(0, shared)).toEqual(calm.get(client)!.slice(0, shared));
    }
  });
});
