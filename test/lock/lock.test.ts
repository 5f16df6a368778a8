import { describe, expect, it } from 'vitest';
import type { ClusterView } from '../../src/invariants/observer.js';
import { applyLockCommand, type LockTable } from '../../src/protocols/kv/index.js';
import { lockObservers } from '../../src/protocols/lock/invariants.js';
import { LOCK_OPTIONS } from '../../src/protocols/lock/options.js';
import type { ClientState, LockState, ResourceState } from '../../src/protocols/lock/state.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadScenarioFile, parseScenario } from '../../src/scenario/load.js';
import { assertNoViolations, runSeeds } from '../../src/sweep/run-seeds.js';
import { InputError } from '../../src/util/errors.js';
import { shortenedScenario } from '../support/shorten-scenario.js';

/**
 * The lock service on 200 seeds, each run's safety phase cut to 1.5 simulated seconds so the
 * file stays fast (full-length 200-seed sweeps are recorded in docs/lock.md).
 */
const SEEDS = 200;
const SAFETY_MS = 1_500;
const PASS_EXPECTED = ['scenarios/lock-healthy.yaml', 'scenarios/lock-client-pauses.yaml', 'scenarios/lock-crash-restart-storm.yaml', 'scenarios/lock-partitions.yaml', 'scenarios/lock-swarm.yaml'];

describe(`the lock service on ${SEEDS} seeds`, () => {
  it.each(PASS_EXPECTED.map((file) => [file]))('%s: fencing observers, Raft observers, the counter history and liveness hold on every seed', async (file) => {
    const summary = await runSeeds(shortenedScenario(file, SAFETY_MS), { seeds: SEEDS, workers: 'auto' });
    expect(summary.totals.run).toBe(SEEDS);
    assertNoViolations(summary);
  });

  it('the planted bug (no token check) is caught by no-stale-write on most seeds, and nothing else breaks', async () => {
    // Run as if it were expected to pass, so that the summary keeps each caught seed's detail.
    const short = shortenedScenario('scenarios/lock-no-token-check-unsafe.yaml', SAFETY_MS);
    const summary = await runSeeds(parseScenario(short.source.replace('expect: invariant', 'expect: pass'), short.file), { seeds: SEEDS, workers: 'auto' });
    const runs = summary.scenarios[0]!.runs;
    expect(runs).toHaveLength(SEEDS);
    expect(runs.filter((run) => run.verdict !== 'pass' && run.verdict !== 'invariant')).toEqual([]);
    const caught = runs.filter((run) => run.verdict === 'invariant' && run.detail.includes('invariant no-stale-write violated'));
    expect(caught.length).toBeGreaterThan(SEEDS * 0.9);
  });

  it('with the token check the same pauses are fenced off: the late writes are refused and the clients told fail', () => {
    const { result } = runScenario(loadScenarioFile('scenarios/lock-client-pauses.yaml'), { seed: 1 });
    expect(result.verdict.kind).toBe('pass');
    expect(result.marks['stale-token-rejected']).toBeGreaterThan(0);
    expect(result.marks['session-expired']).toBeGreaterThan(0);
    expect(result.marks['granted-after-wait']).toBeGreaterThan(0);
    expect(result.marks['stale-token-accepted']).toBe(0);
  });

  it('a run with pause-client is deterministic: the same seed gives the same trace hash', () => {
    const scenario = loadScenarioFile('scenarios/lock-no-token-check-unsafe.yaml');
    const first = runScenario(scenario, { seed: 5 }).result;
    const second = runScenario(scenario, { seed: 5 }).result;
    expect(second.traceHash).toBe(first.traceHash);
    expect(second.verdict.detail).toBe(first.verdict.detail);
  });
});

describe('the lock table (sequential ephemeral entries with sessions)', () => {
  const apply = (table: LockTable | undefined, command: object) => applyLockCommand(table as never, command as never);

  it('entries get increasing sequence numbers, each told its predecessor; expiring a session deletes its entries', () => {
    let table = apply(undefined, { op: 'open' }).table!;
    table = apply(table, { op: 'open' }).table!;
    expect(table.sessions).toEqual([1, 2]);
    const first = apply(table, { op: 'create', session: 1, lock: 'k0' });
    expect(first.response).toEqual({ status: 'ok', value: { token: 1, predecessor: null } });
    const second = apply(first.table, { op: 'create', session: 2, lock: 'k0' });
    expect(second.response).toEqual({ status: 'ok', value: { token: 2, predecessor: 1 } });
    const expired = apply(second.table, { op: 'expire', session: 1 }).table!;
    expect(expired.sessions).toEqual([2]);
    expect(expired.locks.k0!.entries).toEqual([[2, 2]]);
    // Sequence numbers never repeat, so tokens only grow.
    const again = apply(apply(expired, { op: 'delete', session: 2, lock: 'k0', seq: 2 }).table, { op: 'create', session: 2, lock: 'k0' });
    expect(again.response).toEqual({ status: 'ok', value: { token: 3, predecessor: null } });
    expect(apply(expired, { op: 'create', session: 1, lock: 'k0' }).response).toEqual({ status: 'fail', error: 'session expired' });
  });
});

describe('the lock observers, on hand-built states', () => {
  const options = LOCK_OPTIONS.defaults();
  const resource: ResourceState = { data: new Map(), highest: new Map(), accepted: 0, lastAccess: null };
  const resourceState: LockState = { options, id: 0, role: 'resource', servers: [1, 2, 3], clients: [4], resource, server: null, client: null };
  const client = { phase: 'waiting', current: { request: {} as never, lock: 'k0', delta: 1, seq: 7, read: null }, grants: 0 } as unknown as ClientState;
  const clientState: LockState = { ...resourceState, id: 4, role: 'client', resource: null, client };
  const view: ClusterView<LockState> = { now: 0, nodes: [0, 4], state: (node) => (node === 0 ? resourceState : node === 4 ? clientState : undefined) };
  const accept = (kind: 'locked-read' | 'write', token: number, from: number) => {
    resource.accepted++;
    resource.lastAccess = { key: 'k0', kind, token, from };
  };

  it('no-stale-write names the stale write; sections-in-token-order names a stale locked read', () => {
    const [noStaleWrite, sectionsInOrder] = lockObservers(options);
    expect(noStaleWrite!.afterStep!(view, 0)).toBeUndefined();
    expect(sectionsInOrder!.afterStep!(view, 0)).toBeUndefined();
    accept('locked-read', 5, 4);
    expect(noStaleWrite!.afterStep!(view, 0)).toBeUndefined();
    expect(sectionsInOrder!.afterStep!(view, 0)).toBeUndefined();
    accept('locked-read', 6, 5);
    expect(noStaleWrite!.afterStep!(view, 0)).toBeUndefined();
    expect(sectionsInOrder!.afterStep!(view, 0)).toBeUndefined();
    accept('locked-read', 5, 4);
    expect(noStaleWrite!.afterStep!(view, 0)).toBeUndefined(); // a read: not this observer's business
    expect(sectionsInOrder!.afterStep!(view, 0)).toBe("n0 accepted a locked-read of k0 from n4 with fencing token 5 after the critical section of token 6 had begun there: two holders' critical sections overlap");
    accept('write', 5, 4);
    expect(noStaleWrite!.afterStep!(view, 0)).toBe('n0 accepted a write to k0 from n4 with fencing token 5 after it had accepted token 6: a holder whose lease had expired wrote after the next holder');
  });

  it('lock-granted-after-heal names a client still waiting on the entry it waited on at the heal', () => {
    const granted = lockObservers(options).find((observer) => observer.name === 'lock-granted-after-heal')!;
    expect(granted.kind).toBe('eventually');
    expect(granted.atEnd!(view)).toBe('n4 has been waiting for the lock since the heal (entry k0#7) and was never granted it');
    client.phase = 'locked-read';
    expect(granted.atEnd!(view)).toBeUndefined();
  });
});

describe('pause-client is validated at load', () => {
  const refusal = (text: string) => {
    try {
      parseScenario(text, 'p.yaml');
    } catch (error) {
      if (error instanceof InputError) return error.describe();
      throw error;
    }
    throw new Error('expected the scenario to be refused');
  };
  const lock = (fault: string) => `nodes: 6\nprotocol: { name: lock }\nworkload: { kind: counter }\nfaults:\n  - ${fault}\nduration: 2s\n`;

  it('names file, line, column and field: no client nodes, a client out of range, no for, after, a bad client', () => {
    expect(refusal('nodes: 3\nprotocol: { name: raft }\nfaults:\n  - { at: 1s, action: pause-client, client: 0, for: 1s }\nduration: 2s\n')).toBe(
      'p.yaml:4:15: faults[0].action: raft has no client nodes to pause; pause-client needs a protocol whose clients are nodes (lock)',
    );
    expect(refusal(lock('{ at: 1s, action: pause-client, client: 2, for: 1s }'))).toBe("p.yaml:5:37: faults[0].client: no client node 2: lock's client nodes are n4, n5 (clients 0..1)");
    expect(refusal(lock('{ at: 1s, action: pause-client, client: 0 }'))).toBe('p.yaml:5:5: faults[0]: a pause-client needs for: how long the client stays paused');
    expect(refusal(lock('{ at: 1s, action: pause-client, client: 0, for: 1s, after: { send: access } }'))).toMatch(/^p\.yaml:5:\d+: faults\[0\]\.after: a pause-client fires when the client reaches its own moment \(between its lease check and its write\), not on sends: drop after$/);
    expect(refusal(lock('{ at: 1s, action: pause-client, client: first, for: 1s }'))).toMatch(/^p\.yaml:5:\d+: faults\[0\]\.client: /);
    expect(refusal(lock('{ at: 1s, action: pause-clients, client: 0, for: 1s }'))).toMatch(/^p\.yaml:5:\d+: faults\[0\]\.action: expected action: .*crash-client or pause-client/);
  });

  it('lock options and message names are declared: a bad one exits 2 naming the field', () => {
    expect(refusal('nodes: 6\nprotocol: { name: lock, options: { leaseMs: 400 } }\nduration: 2s\n')).toMatch(/protocol\.options\.leaseMs: expected less than sessionTimeoutMs \(300\)/);
    expect(refusal('nodes: 6\nprotocol: { name: lock, options: { unsafeNoTokenChecks: true } }\nduration: 2s\n')).toMatch(/protocol\.options\.unsafeNoTokenChecks: unknown lock option "unsafeNoTokenChecks"; did you mean unsafeNoTokenCheck\?/);
    expect(refusal(lock('{ at: 1s, until: 2s, after: { send: acces }, action: pause, node: sender, for: 1ms }'))).toMatch(/faults\[0\]\.after\.send: lock sends no message of type "acces"; did you mean access\?/);
    expect(refusal('nodes: 6\nprotocol: { name: lock }\nworkload: { kind: register }\nduration: 2s\n')).toMatch(/workload\.kind: lock does not serve the register workload; expected counter/);
  });
});
