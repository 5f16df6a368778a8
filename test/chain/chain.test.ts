import { describe, expect, it } from 'vitest';
import type { ClientResponse } from '../../src/protocol/client-types.js';
import type { ClusterView, Observer } from '../../src/invariants/observer.js';
import { declaredNames } from '../../src/protocol/declared-names.js';
import { EffectCollector } from '../../src/protocol/context.js';
import type { DurableReader } from '../../src/protocol/protocol.js';
import { chainProtocol } from '../../src/protocols/chain/index.js';
import { chainObservers } from '../../src/protocols/chain/invariants.js';
import { appliedConfig, isActingMaster, nextConfig, proposalCommand } from '../../src/protocols/chain/master.js';
import type { ChainConfig, ChainMessage } from '../../src/protocols/chain/messages.js';
import { CHAIN_OPTIONS } from '../../src/protocols/chain/options.js';
import { CONFIG_KEY, initialConfig, type ChainState, type MasterState } from '../../src/protocols/chain/state.js';
import { onRaftClientRequest } from '../../src/protocols/raft/node.js';
import type { RaftContext } from '../../src/protocols/raft/index.js';
import { RandomStream } from '../../src/random/random-stream.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenarioFile, parseScenario } from '../../src/scenario/load.js';
import { World } from '../../src/sim/world.js';
import { millis } from '../../src/sim/time.js';
import { InputError } from '../../src/util/errors.js';

const seeds = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

describe('chain replication stays linearizable, with each replica a prefix of its predecessor', () => {
  it.each([
    ['scenarios/chain-crash-restart-storm.yaml', ['member-removed', 'state-transferred', 'in-flight-resent', 'master-recovered', 'master-took-over', 'new-tail-lease-waits']],
    ['scenarios/chain-partitions.yaml', ['member-removed', 'member-added', 'state-transferred', 'in-flight-resent', 'head-changed', 'master-took-over', 'leader-stepped-down-no-quorum']],
    ['scenarios/chain-master-and-tail-cut-off.yaml', ['member-removed', 'member-added', 'tail-changed', 'master-took-over', 'leader-stepped-down-no-quorum', 'new-tail-lease-waits']],
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

/** A tiny driver: one collector per node, handlers called by hand, effects read back. One master node (n0), replicas n1..n3 (or more). */
class Chain {
  readonly nodes: number[];
  readonly states = new Map<number, ChainState>();
  readonly contexts = new Map<number, EffectCollector<ChainMessage>>();
  constructor(
    readonly options = { ...CHAIN_OPTIONS.defaults(), masters: 1 },
    replicas = 3,
  ) {
    this.nodes = Array.from({ length: replicas + 1 }, (_, id) => id);
    const empty: DurableReader = { read: () => ({ kind: 'missing' }), keys: () => [] };
    for (const id of this.nodes) {
      const context = new EffectCollector<ChainMessage>(id, this.nodes, new RandomStream(`chain/${id}`), declaredNames(chainProtocol));
      this.contexts.set(id, context);
      this.states.set(id, chainProtocol.init(context as never, empty, options));
      context.drain();
    }
  }
  /** A replica restarts: its memory is gone, its disk says it ran before. */
  restart(id: number): void {
    const started: DurableReader = { read: (key) => (key === 'started' ? { kind: 'value', value: true } : { kind: 'missing' }), keys: () => ['started'] };
    const context = this.contexts.get(id)!;
    this.states.set(id, chainProtocol.init(context as never, started, this.options));
    context.drain();
  }
  read(tail: number, requestId: number): string[] {
    const context = this.contexts.get(tail)!;
    chainProtocol.onClientRequest(this.states.get(tail)!, { requestId, clientId: requestId, sequence: 1, operation: { f: 'read', key: 'k', value: null } }, context as never);
    return context.drain().flatMap((effect) => (effect.kind === 'reply' ? [`n${tail} reply ${effect.response.status}`] : []));
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

const config = (version: number, chain: number[], since: Record<string, number>, tailFrom = 1): ChainMessage => ({ type: 'config', config: { version, chain, since, tailFrom } satisfies ChainConfig, read: false, echo: null });

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

describe('transcript: restarts and clocks at the replicas', () => {
  const read = (version: number, chain: number[], since: Record<string, number>): ChainMessage => ({ type: 'config', config: { version, chain, since, tailFrom: 1 }, read: true, echo: null });

  it('a restarted replica takes as its first configuration only one read for it, not an announcement that may be older than what it knew', () => {
    const chain = new Chain();
    chain.restart(2);
    // An announcement of v1 (delayed, or from a deposed master leader) is not taken: v3 may exist.
    expect(chain.deliver(0, 2, config(1, [1, 2, 3], { 1: 1, 2: 1, 3: 1 }))).toEqual([]);
    expect(chain.states.get(2)!.replica!.config).toBeNull();
    // The configuration the acting master read after this incarnation's heartbeat: refilled in place from n1.
    const [fetch] = chain.deliver(0, 2, read(1, [1, 2, 3], { 1: 1, 2: 1, 3: 1 }));
    expect(fetch).toBe('n2->n1 fetch v1');
  });

  it('a replica refilled from a state sends the state, not its (empty) in-flight set, to a new successor', () => {
    const chain = new Chain(undefined, 4);
    chain.write(1, 100, 'a'); // #1 reaches n1 only
    chain.restart(2);
    const fetch = chain.deliver(0, 2, read(1, [1, 2, 3, 4], { 1: 1, 2: 1, 3: 1, 4: 1 }))[0]!;
    expect(fetch).toBe('n2->n1 fetch v1');
    const nonce = chain.states.get(2)!.replica!.nonce;
    const head = chain.contexts.get(1)!;
    chainProtocol.onMessage(chain.states.get(1)!, 2, { type: 'fetch', version: 1, nonce }, head as never);
    const transfer = head.drain().flatMap((effect) => (effect.kind === 'send' && effect.message.type === 'state' ? [effect.message] : []));
    expect(transfer.map((message) => chainProtocol.renderMessage(message))).toEqual(['state through #1']);
    // Installed, and passed on down to n3; nothing is in flight at n2: #1 came inside the store.
    expect(chain.deliver(1, 2, transfer[0]!)).toEqual(['n2->n3 state through #1']);
    expect(chain.states.get(2)!.replica!.inFlight).toEqual([]);
    // n3 is removed before it passed anything on: n2's new successor n4 lacks #1, so n2 sends its state.
    expect(chain.deliver(0, 2, config(2, [1, 2, 4], { 1: 1, 2: 1, 4: 1 }))).toEqual(['n2->n4 state through #1']);
  });

  it("a tail whose clock goes back drops its lease, and trusts no confirmation of a heartbeat sent before", () => {
    const chain = new Chain();
    const tail = chain.contexts.get(3)!;
    tail.now = millis(1000);
    chain.deliver(0, 3, { type: 'config', config: { version: 1, chain: [1, 2, 3], since: { 1: 1, 2: 1, 3: 1 }, tailFrom: 1 }, read: true, echo: millis(990) });
    expect(chain.read(3, 1)).toEqual(['n3 reply ok']);
    // The clock is stepped back 400 ms: the lease (until 1040 ms) would otherwise last 440 ms more.
    tail.now = millis(600);
    expect(chain.read(3, 2)).toEqual(['n3 reply redirect']);
    // A late confirmation of the heartbeat sent at 990 ms is not a lease.
    chain.deliver(0, 3, { type: 'config', config: { version: 1, chain: [1, 2, 3], since: { 1: 1, 2: 1, 3: 1 }, tailFrom: 1 }, read: true, echo: millis(990) });
    expect(chain.read(3, 3)).toEqual(['n3 reply redirect']);
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

/** What the acting master (Raft leader with an entry of its term committed) worked from, step by step. */
interface Acting {
  time: number;
  node: number;
  term: number;
  version: number;
}

/** Runs a scenario with an extra observer that records every acting master's step and every crash. */
function recordMasters(text: string, seed: number) {
  const scenario = parseScenario(text, 'masters.yaml');
  const acting: Acting[] = [];
  const crashes: { time: number; node: number; wasActing: boolean }[] = [];
  const recorder: Observer<ChainState> = {
    name: 'test-recorder',
    kind: 'always',
    afterStep(view, node) {
      const master = view.state(node)?.master;
      if (master !== undefined && master !== null && isActingMaster(master)) {
        acting.push({ time: view.now, node, term: master.raft.currentTerm, version: appliedConfig(master.raft, view.state(node)!.initial).version });
      }
      return undefined;
    },
    beforeCrash(view, node) {
      const master = view.state(node)?.master;
      crashes.push({ time: view.now, node, wasActing: master !== undefined && master !== null && isActingMaster(master) });
      return undefined;
    },
  };
  const protocol = { ...chainProtocol, observers: (options: typeof scenario.protocol.options) => [...chainProtocol.observers!(options as never), recorder] };
  const world = new World(scenario, protocol as never, { seed, keepTrace: false });
  world.run();
  return { world, acting, crashes };
}

describe('the master group survives its leader crashing', () => {
  // The master leader crashes at 1s and stays down 3s; a replica crashes at 2s. The replica
  // must still be removed (and later added back), by another master node.
  const text = [
    'nodes: 7',
    'protocol: { name: chain-replication }',
    'network: { latency: { distribution: uniform, min: 1ms, max: 5ms } }',
    'workload: { kind: cas-register, clients: 4, keys: 2, thinkTime: 20ms }',
    'faults:',
    '  - { at: 1s, action: crash, node: leader, for: 3s }',
    '  - { at: 2s, action: crash, node: 5, for: 500ms }',
    'duration: 6s',
    'expect: pass',
  ].join('\n');

  it.each(seeds(1, 8))('seed %i: another master node takes over and reconfigures; the configuration version never goes back across leader changes', (seed) => {
    const { world, acting, crashes } = recordMasters(text, seed);
    expect(world.interruption, JSON.stringify(world.interruption)).toBeUndefined();
    const leaderCrash = crashes.find((crash) => crash.time === millis(1000));
    expect(leaderCrash, 'the nemesis crashed the acting master at 1s').toMatchObject({ wasActing: true });
    expect(leaderCrash!.node).toBeLessThan(3);
    const before = acting.filter((step) => step.time < millis(1000));
    const atCrash = Math.max(...before.map((step) => step.version));
    // While the old leader is down, another node acts and commits a newer configuration (n5 removed).
    const during = acting.filter((step) => step.time > millis(1000) && step.time < millis(4000));
    expect(during.length).toBeGreaterThan(0);
    expect(new Set(during.map((step) => step.node)).has(leaderCrash!.node)).toBe(false);
    expect(Math.max(...during.map((step) => step.version))).toBeGreaterThan(atCrash);
    // Never backwards: every acting master works from at least what any acting master of an earlier term worked from.
    let highestEarlier = 0;
    const highestInTerm = new Map<number, number>();
    for (const step of [...acting].sort((a, b) => a.term - b.term || a.time - b.time)) {
      if (!highestInTerm.has(step.term)) highestEarlier = Math.max(highestEarlier, ...[...highestInTerm.values()]);
      expect(step.version, `n${step.node} in term ${step.term} at ${step.time}us`).toBeGreaterThanOrEqual(highestEarlier);
      highestInTerm.set(step.term, Math.max(highestInTerm.get(step.term) ?? 0, step.version));
    }
    expect(highestInTerm.size, 'at least two terms acted').toBeGreaterThanOrEqual(2);
    // The replicas' configurations agree with the masters': each version has one configuration.
    const replicaVersions = [3, 4, 5, 6].map((node) => (world.state(node) as ChainState | undefined)?.replica?.config?.version ?? 0);
    expect(Math.max(...replicaVersions)).toBeLessThanOrEqual(Math.max(...[...highestInTerm.values()]));
  });

  it('with one master node (masters: 1) Raft on a single node still elects itself and reconfigures', () => {
    const single = text.replace('nodes: 7', 'nodes: 5').replace('{ name: chain-replication }', '{ name: chain-replication, options: { masters: 1 } }').replace('node: leader, for: 3s', 'node: 0, for: 300ms').replace('node: 5', 'node: 2');
    const { world, acting } = recordMasters(single, 1);
    expect(world.interruption, JSON.stringify(world.interruption)).toBeUndefined();
    expect(new Set(acting.map((step) => step.node))).toEqual(new Set([0]));
    expect(Math.max(...acting.map((step) => step.version))).toBeGreaterThan(1);
  });
});

describe('a stale master proposal does not apply', () => {
  it('a compare-and-set made from an older configuration fails in the master state machine, leaving the newer one', () => {
    const chain = new Chain(); // one master node, n0: its Raft group commits at once
    const state = chain.states.get(0)!;
    const context = chain.contexts.get(0)!;
    context.now = millis(1);
    chainProtocol.onTimer(state, 'election', context as never);
    context.drain();
    expect(isActingMaster(state.master!)).toBe(true);
    // n2 falls silent: past failureTimeoutMs the acting master's check proposes v2 without it,
    // committed and applied at once, and only then sent to the replicas.
    context.now = millis(200);
    for (const node of [1, 3]) chainProtocol.onMessage(state, node, { type: 'replica-heartbeat', version: 1, joined: 1, sentAt: context.now }, context as never);
    context.drain();
    chainProtocol.onTimer(state, 'check', context as never);
    const sent = context.drain().flatMap((effect) => (effect.kind === 'send' ? [`n0->n${effect.to} ${chainProtocol.renderMessage(effect.message)}`] : []));
    expect(sent).toEqual(['n0->n1 config v2 [n1 n3]', 'n0->n2 config v2 [n1 n3]', 'n0->n3 config v2 [n1 n3]']);
    // A deposed master leader that applied only v1 decided its own v2 (n3 removed): its
    // compare-and-set expects the value it applied (none: the initial configuration).
    const stale = nextConfig(initialConfig([1, 2, 3]), [1, 2], []);
    expect(stale.version).toBe(2);
    const replies: ClientResponse[] = [];
    const raftContext: RaftContext = {
      id: 0,
      nodes: [0],
      now: context.now,
      random: context.random,
      send: () => undefined,
      setTimer: () => undefined,
      cancelTimer: () => undefined,
      persist: (key, value) => context.persist(key, value),
      mark: () => undefined,
      reply: (_requestId, response) => replies.push(response),
    };
    onRaftClientRequest(state.master!.raft, { requestId: 1, clientId: 7, sequence: 1, operation: proposalCommand(null, stale) }, raftContext);
    expect(replies).toEqual([{ status: 'fail', error: 'cas mismatch' }]);
    const applied = appliedConfig(state.master!.raft, state.initial);
    expect([applied.version, applied.chain]).toEqual([2, [1, 3]]);
  });
});

describe('a deposed master leader cut off with a minority', () => {
  const base = (faults: string[]) =>
    ['nodes: 7', 'protocol: { name: chain-replication }', 'network: { latency: { distribution: uniform, min: 1ms, max: 5ms } }', 'workload: { kind: cas-register, clients: 4, keys: 2, thinkTime: 20ms }', ...(faults.length > 0 ? ['faults:', ...faults] : []), 'duration: 4s', 'expect: pass'].join('\n');

  it.each([2, 3])('seed %i: its proposal (replicas it no longer hears removed) never applies; the majority\'s configuration of that version is the one every master node applies', (seed) => {
    // Who acts at 1s is decided before any fault: find it, then cut it off with two replicas.
    const leader = recordMasters(base([]), seed).acting.filter((step) => step.time < millis(1000)).at(-1)!.node;
    const others = [0, 1, 2].filter((node) => node !== leader);
    const text = base([`  - { at: 1s, action: partition, partition: { shape: groups, groups: [[${leader}, 5, 6], [${others.join(', ')}, 3, 4]] }, for: 1s }`]);
    const { world, acting } = recordMasters(text, seed);
    expect(world.interruption, JSON.stringify(world.interruption)).toBeUndefined();
    expect(acting.filter((step) => step.time < millis(1000)).at(-1)!.node).toBe(leader);
    // Its own proposal: the entry it appended while cut off (it still believed it led).
    const proposals: { version: number; config: string }[] = [];
    const applied = new Map<number, Set<string>>();
    const scenario = parseScenario(text, 'deposed.yaml');
    const watcher: Observer<ChainState> = {
      name: 'test-watcher',
      kind: 'always',
      afterStep(view, node) {
        const master = view.state(node)?.master;
        if (master === undefined || master === null) return undefined;
        const config = appliedConfig(master.raft, view.state(node)!.initial);
        if (!applied.has(config.version)) applied.set(config.version, new Set());
        applied.get(config.version)!.add(JSON.stringify(config.chain));
        const log = master.raft.log;
        if (node === leader && master.proposal !== null && view.now > millis(1000) && view.now < millis(2000) && log.lastIndex > log.snapshotIndex) {
          const command = log.entry(log.lastIndex).command;
          if (command.kind === 'client' && command.operation.f === 'cas') {
            const next = (command.operation.value as [unknown, ChainConfig])[1];
            proposals.push({ version: next.version, config: JSON.stringify(next.chain) });
          }
        }
        return undefined;
      },
    };
    const protocol = { ...chainProtocol, observers: (options: typeof scenario.protocol.options) => [...chainProtocol.observers!(options as never), watcher] };
    const rerun = new World(scenario, protocol as never, { seed, keepTrace: false });
    rerun.run();
    expect(rerun.interruption).toBeUndefined();
    expect(proposals.length, 'the cut-off leader proposed a reconfiguration').toBeGreaterThan(0);
    for (const proposal of proposals) {
      // Another configuration of that version was committed by the majority, and it alone was ever applied.
      expect(applied.get(proposal.version), `v${proposal.version}`).toBeDefined();
      expect([...applied.get(proposal.version)!]).toHaveLength(1);
      expect(applied.get(proposal.version)!.has(proposal.config), `v${proposal.version} ${proposal.config}`).toBe(false);
    }
    // Every version ever applied by a master node had one configuration.
    for (const [version, chains] of applied) expect([...chains], `v${version}`).toHaveLength(1);
  });
});

describe('the master-config-monotonic observer', () => {
  /** A master node as the observer sees it: leader in `term`, with an entry of its term committed, having applied `config`. */
  const masterAt = (term: number, config: ChainConfig, announced: number): ChainState =>
    ({
      master: {
        raft: { role: 'leader', health: { kind: 'healthy' }, currentTerm: term, commitIndex: 1, log: { term: () => term }, kv: { data: new Map([[CONFIG_KEY, config]]) } },
        actingTerm: term,
        announced,
      } as unknown as MasterState,
      replica: null,
    }) as ChainState;

  it('names the acting master of a later term that works from an older configuration than one announced before', () => {
    const observer = chainObservers(CHAIN_OPTIONS.defaults()).find((each) => each.name === 'master-config-monotonic')!;
    const v3: ChainConfig = { version: 3, chain: [3, 4], since: { 3: 1, 4: 1 }, tailFrom: 1 };
    const v2: ChainConfig = { version: 2, chain: [3, 4, 5], since: { 3: 1, 4: 1, 5: 1 }, tailFrom: 1 };
    const states = new Map<number, ChainState>([[0, masterAt(1, v3, 3)]]);
    const view: ClusterView<ChainState> = { now: 0, nodes: [0, 1, 2, 3, 4, 5, 6], state: (node) => states.get(node) };
    expect(observer.afterStep!(view, 0)).toBeUndefined();
    // A deposed leader of the same term is not compared with its own term's announcements.
    states.set(1, masterAt(1, v2, 2));
    expect(observer.afterStep!(view, 1)).toBeUndefined();
    states.set(2, masterAt(2, v2, 0));
    expect(observer.afterStep!(view, 2)).toBe('n2 acts as master in term 2 with configuration v2, older than v3, which n0 announced to the replicas in term 1');
  });
});

describe('chain options are checked at load', () => {
  it('a read lease not shorter than the failure timeout, an even number of masters, or an unknown option, exits 2 naming the field; too few nodes stops the run', () => {
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
    expect(refusal('{ masters: 2 }')).toMatch(/protocol\.options\.masters: expected an odd number/);
    // More nodes than masters is checked when the nodes start (as the lock service checks its clients): the run stops with the reason.
    const { result } = runScenario(parseScenario('nodes: 3\nprotocol: { name: chain-replication }\nduration: 1s', 'c.yaml'), { seed: 1 });
    expect(result.verdict.detail).toContain('chain-replication needs more nodes than masters: 3 master nodes (option masters) and at least one replica, so at least 4 nodes; the scenario has 3');
    expect(refusal('{ unsafeReadFromAnyNode: true }')).toMatch(/protocol\.options\.unsafeReadFromAnyNode: unknown chain-replication option "unsafeReadFromAnyNode"; expected one of .*unsafeReadFromAnyReplica/);
  });
});
