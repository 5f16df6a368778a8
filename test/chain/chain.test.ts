import { describe, expect, it } from 'vitest';
import type { ClusterView } from '../../src/invariants/observer.js';
import { declaredNames } from '../../src/protocol/declared-names.js';
import { EffectCollector } from '../../src/protocol/context.js';
import type { DurableReader } from '../../src/protocol/protocol.js';
import { chainProtocol } from '../../src/protocols/chain/index.js';
import { chainObservers } from '../../src/protocols/chain/invariants.js';
import type { ChainConfig, ChainMessage } from '../../src/protocols/chain/messages.js';
import { CHAIN_OPTIONS } from '../../src/protocols/chain/options.js';
import type { ChainState } from '../../src/protocols/chain/state.js';
import { RandomStream } from '../../src/random/random-stream.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenarioFile, parseScenario } from '../../src/scenario/load.js';
import { InputError } from '../../src/util/errors.js';

const seeds = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

describe('chain replication stays linearizable, with each replica a prefix of its predecessor', () => {
  it.each([
    ['scenarios/chain-crash-restart-storm.yaml', ['member-removed', 'state-transferred', 'in-flight-resent', 'master-recovered']],
    ['scenarios/chain-partitions.yaml', ['member-removed', 'member-added', 'state-transferred', 'in-flight-resent', 'head-changed']],
  ])('%s passes seeds 4..9, reconfiguring as it goes (scenarios.test.ts runs 1..3)', (file, marks) => {
    const scenario = loadScenarioFile(file);
    const reached = new Set<string>();
    for (const seed of seeds(4, 6)) {
      const { result } = runScenario(scenario, { seed });
      expect(`seed ${seed}: ${result.verdict.kind} ${result.verdict.detail}`).toBe(`seed ${seed}: pass `);
      expect(result.operations.ok, `seed ${seed}`).toBeGreaterThan(150);
      for (const [mark, count] of Object.entries(result.marks)) if (count > 0) reached.add(mark);
    }
    for (const mark of marks) expect(reached, mark).toContain(mark);
  });
});

describe('each planted chain bug is caught by the check it breaks', () => {
  it.each([
    ['scenarios/chain-no-resend-unsafe.yaml', 'invariant replica-prefix-order violated', 18],
    ['scenarios/chain-read-any-replica-unsafe.yaml', 'longest linearizable prefix', 14],
  ])('%s is caught on most of 20 seeds (200 are in docs/chain.md)', (file, detail, least) => {
    const scenario = loadScenarioFile(file);
    const caught = seeds(1, 20).filter((seed) => runScenario(scenario, { seed }).result.verdict.detail.includes(detail));
    expect(caught.length).toBeGreaterThanOrEqual(least);
  });
});

/** A tiny driver: one collector per node, handlers called by hand, effects read back. One master node (n0), replicas n1..n3. */
class Chain {
  readonly nodes = [0, 1, 2, 3];
  readonly states = new Map<number, ChainState>();
  readonly contexts = new Map<number, EffectCollector<ChainMessage>>();
  constructor(options = { ...CHAIN_OPTIONS.defaults(), masters: 1 }) {
    const empty: DurableReader = { read: () => ({ kind: 'missing' }), keys: () => [] };
    for (const id of this.nodes) {
      const context = new EffectCollector<ChainMessage>(id, this.nodes, new RandomStream(`chain/${id}`), declaredNames(chainProtocol));
      this.contexts.set(id, context);
      this.states.set(id, chainProtocol.init(context as never, empty, options));
      context.drain();
    }
  }
  /** Delivers `message` to `to` and returns what `to` sent, as rendered lines. */
  deliver(from: number, to: number, message: ChainMessage): string[] {
    const context = this.contexts.get(to)!;
    chainProtocol.onMessage(this.states.get(to)!, from, message, context as never);
    return context.drain().flatMap((effect) => (effect.kind === 'send' ? [`n${to}->n${effect.to} ${chainProtocol.renderMessage(effect.message)}`] : effect.kind === 'reply' ? [`n${to} reply ${effect.response.status}`] : []));
  }
  write(head: number, requestId: number, value: string): string[] {
    const context = this.contexts.get(head)!;
    chainProtocol.onClientRequest(this.states.get(head)!, { requestId, clientId: requestId, sequence: 1, operation: { f: 'write', key: 'k', value } }, context as never);
    return context.drain().flatMap((effect) => (effect.kind === 'send' ? [`n${head}->n${effect.to} ${chainProtocol.renderMessage(effect.message)}`] : effect.kind === 'reply' ? [`n${head} reply ${effect.response.status}`] : []));
  }
}

const config = (version: number, chain: number[], since: Record<string, number>, tailFrom = 1): ChainMessage => ({ type: 'config', config: { version, chain, since, tailFrom } satisfies ChainConfig, echo: null });

describe('transcript: a middle replica is removed with updates in flight', () => {
  it('the predecessor resends what its old successor never passed on; the ack then answers the client', () => {
    const chain = new Chain();
    const v1 = config(1, [1, 2, 3], { 1: 1, 2: 1, 3: 1 });
    for (const id of [1, 2, 3]) chain.deliver(0, id, v1);
    // The head applies write #1 and sends it to n2; n2 applies it and passes it to the tail n3.
    expect(chain.write(1, 100, 'a')).toEqual(['n1->n2 update #1 write k "a"']);
    expect(chain.deliver(1, 2, { type: 'update', version: 1, seq: 1, command: { clientId: 100, sequence: 1, operation: { f: 'write', key: 'k', value: 'a' } } })).toEqual(['n2->n3 update #1 write k "a"']);
    // Write #2 reaches n2 and n2 crashes before forwarding it: only n1 (and the dead n2) have it.
    expect(chain.write(1, 101, 'b')).toEqual(['n1->n2 update #2 write k "b"']);
    // The tail applies #1 and acknowledges it; n2 is gone, so that ack never comes back.
    expect(chain.deliver(2, 3, { type: 'update', version: 1, seq: 1, command: { clientId: 100, sequence: 1, operation: { f: 'write', key: 'k', value: 'a' } } })).toEqual(['n3->n2 ack #1']);
    // The master removes n2. n1's new successor is n3, an old member: n1 resends both updates it
    // has in flight (#1 was never acknowledged to n1), not a state transfer.
    const v2 = config(2, [1, 3], { 1: 1, 3: 1 });
    expect(chain.deliver(0, 1, v2)).toEqual(['n1->n3 update #1 write k "a"', 'n1->n3 update #2 write k "b"']);
    // For the tail only its predecessor changed: it has nothing to do until updates come.
    expect(chain.deliver(0, 3, v2)).toEqual([]);
    // The tail already has #1 (it re-acknowledges) and applies #2; each ack reaches the head, which answers.
    expect(chain.deliver(1, 3, { type: 'update', version: 2, seq: 1, command: { clientId: 100, sequence: 1, operation: { f: 'write', key: 'k', value: 'a' } } })).toEqual(['n3->n1 ack #1']);
    expect(chain.deliver(3, 1, { type: 'ack', version: 2, seq: 1 })).toEqual(['n1 reply ok']);
    expect(chain.deliver(1, 3, { type: 'update', version: 2, seq: 2, command: { clientId: 101, sequence: 1, operation: { f: 'write', key: 'k', value: 'b' } } })).toEqual(['n3->n1 ack #2']);
    expect(chain.deliver(3, 1, { type: 'ack', version: 2, seq: 2 })).toEqual(['n1 reply ok']);
    expect(chain.states.get(3)!.replica!.store.data.get('k')).toBe('b');
  });

  it('with the planted bug the predecessor drops them, and the tail takes #3 as the next after #1', () => {
    const chain = new Chain({ ...CHAIN_OPTIONS.defaults(), masters: 1, unsafeNoResendOnRemoval: true });
    for (const id of [1, 2, 3]) chain.deliver(0, id, config(1, [1, 2, 3], { 1: 1, 2: 1, 3: 1 }));
    chain.write(1, 100, 'a');
    chain.deliver(1, 2, { type: 'update', version: 1, seq: 1, command: { clientId: 100, sequence: 1, operation: { f: 'write', key: 'k', value: 'a' } } });
    chain.deliver(2, 3, { type: 'update', version: 1, seq: 1, command: { clientId: 100, sequence: 1, operation: { f: 'write', key: 'k', value: 'a' } } });
    chain.write(1, 101, 'b');
    const v2 = config(2, [1, 3], { 1: 1, 3: 1 });
    expect(chain.deliver(0, 1, v2)).toEqual([]); // nothing resent
    chain.deliver(0, 3, v2);
    expect(chain.write(1, 102, 'c')).toEqual(['n1->n3 update #3 write k "c"']);
    expect(chain.deliver(1, 3, { type: 'update', version: 2, seq: 3, command: { clientId: 102, sequence: 1, operation: { f: 'write', key: 'k', value: 'c' } } })).toEqual(['n3->n1 ack #3']);
    // The head answers all three writes, though the tail never applied #2.
    expect(chain.deliver(3, 1, { type: 'ack', version: 2, seq: 3 })).toEqual(['n1 reply ok', 'n1 reply ok', 'n1 reply ok']);
    expect(chain.states.get(3)!.replica!.lastSeq).toBe(3);
  });
});

describe('the replica-prefix-order observer', () => {
  it('names the replica whose applied updates are not a prefix of its predecessor\'s', () => {
    const chain = new Chain();
    const v1 = config(1, [1, 2, 3], { 1: 1, 2: 1, 3: 1 });
    for (const id of [1, 2, 3]) chain.deliver(0, id, v1);
    // The master has committed no configuration: the observer walks the initial one, n1 → n2 → n3.
    const [prefix] = chainObservers({ ...CHAIN_OPTIONS.defaults(), masters: 1 });
    const view: ClusterView<ChainState> = { now: 0, nodes: chain.nodes, state: (node) => chain.states.get(node) };
    const apply = (node: number, seq: number, value: string) =>
      chain.deliver(node === 1 ? 0 : node - 1, node, { type: 'update', version: 1, seq, command: { clientId: seq, sequence: 1, operation: { f: 'write', key: 'k', value } } });
    // Build by hand: n1 (head) and n2 applied #1 "a"; n3 applied #1 "x", which no one sent it.
    // The head takes no updates: it gets its #1 as a client write.
    chain.write(1, 1, 'a');
    apply(2, 1, 'a');
    expect(prefix!.afterStep!(view, 2)).toBeUndefined();
    apply(3, 1, 'x');
    expect(prefix!.afterStep!(view, 3)).toBe("n3's applied updates through #1 are not a prefix of its predecessor n2's (they differ at or before #1)");
    apply(3, 2, 'y');
    expect(prefix!.afterStep!(view, 3)).toBe('n3 applied updates through #2, beyond its predecessor n2 (through #1)');
  });
});

describe('chain options are checked at load', () => {
  it('a read lease not shorter than the failure timeout, or an unknown option, exits 2 naming the field', () => {
    const refusal = (options: string) => {
      try {
        parseScenario(`nodes: 4\nprotocol: { name: chain-replication, options: ${options} }\nduration: 1s`, 'c.yaml');
      } catch (error) {
        if (error instanceof InputError) return error.describe();
        throw error;
      }
      throw new Error('expected the scenario to be refused');
    };
    expect(refusal('{ readLeaseMs: 100 }')).toMatch(/protocol\.options\.readLeaseMs: expected less than failureTimeoutMs \(100\)/);
    expect(refusal('{ unsafeReadFromAnyNode: true }')).toMatch(/protocol\.options\.unsafeReadFromAnyNode: unknown chain-replication option "unsafeReadFromAnyNode"; expected one of .*unsafeReadFromAnyReplica/);
  });
});
