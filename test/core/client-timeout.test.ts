import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../src/history/operation.js';
import type { ClientRequest } from '../../src/protocol/client-types.js';
import { RandomStream } from '../../src/random/random-stream.js';
import { parseScenario } from '../../src/scenario/load.js';
import { EventQueue } from '../../src/sim/event-queue.js';
import { SimulatedClient, type ClientEnvironment, type ClientTimeoutEvent, type ClientWakeEvent } from '../../src/workload/client.js';

type Answer = { kind: 'answer'; request: ClientRequest };
type Event = ClientWakeEvent | ClientTimeoutEvent | Answer;

/** One client against a fake service that answers after `answerAfter` µs, or never. */
function drive(answerAfter: number | undefined, until: number) {
  const spec = parseScenario(['nodes: 3', 'protocol: { name: raft }', 'workload: { kind: register, clients: 1, rate: 20, requestTimeout: 100ms, maxAttempts: 2 }', 'duration: 10s'].join('\n')).workload;
  const queue = new EventQueue<Event>();
  const history: HistoryEvent[] = [];
  const requests: { time: number; request: ClientRequest }[] = [];
  let now = 0;
  let nextId = 1;
  let process = 0;
  const environment: ClientEnvironment = {
    get now() {
      return now;
    },
    nodeCount: 3,
    retriesAreSafe: true,
    sendRequest(_client, _node, request) {
      requests.push({ time: now, request });
      if (answerAfter !== undefined) queue.push(now + answerAfter, { kind: 'answer', request });
    },
    schedule: (at, event) => queue.push(at, event),
    reserveSequence: () => queue.reserveSequence(),
    scheduleReserved: (at, sequence, event) => queue.pushReserved(at, sequence, event),
    recordHistory: (event) => history.push(event),
    allocateProcess: () => process++,
    allocateRequestId: () => nextId++,
  };
  const client = new SimulatedClient(0, spec, new RandomStream('ops'), new RandomStream('timing'), environment);
  client.start();
  let timeoutsQueued = 0;
  let maxTimeoutsQueued = 0;
  while (queue.size > 0 && queue.peekTime() <= until) {
    const event = queue.pop();
    now = queue.poppedTime;
    if (event.kind === 'answer') client.receive(event.request.requestId, 0, { status: 'ok', value: null });
    else if (event.kind === 'client-wake') client.wake(event);
    else client.timeoutDue(event);
    timeoutsQueued = queue['payloads'].filter((queued) => queued?.kind === 'client-timeout').length;
    maxTimeoutsQueued = Math.max(maxTimeoutsQueued, timeoutsQueued);
  }
  return { history, requests, maxTimeoutsQueued };
}

describe('a client request deadline', () => {
  it('times out exactly requestTimeout after each unanswered attempt', () => {
    const { history, requests } = drive(undefined, 2_000_000);
    expect(requests.length).toBeGreaterThan(10);
    // maxAttempts 2: each operation is tried twice, then recorded info at the second deadline.
    // (The last operation may still be in flight when the drive stops.)
    const infos = history.filter((event) => event.type === 'info');
    expect(infos.length).toBeGreaterThanOrEqual(Math.floor(requests.length / 2) - 1);
    for (const [index, info] of infos.entries()) expect(info.time).toBe(requests[2 * index + 1]!.time + 100_000);
  });

  it('keeps one deadline queued however many answered attempts it spans', () => {
    const { history, requests, maxTimeoutsQueued } = drive(5_000, 5_000_000);
    expect(requests.length).toBeGreaterThan(80); // 20 per second, each answered in 5ms
    expect(history.filter((event) => event.type === 'ok').length).toBeGreaterThanOrEqual(requests.length - 1);
    expect(history.some((event) => event.type === 'info' || event.type === 'fail')).toBe(false);
    expect(maxTimeoutsQueued).toBe(1);
  });
});
