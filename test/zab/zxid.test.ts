import { describe, expect, it } from 'vitest';
import type { ClientResponse } from '../../src/protocol/client-types.js';
import type { NodeId } from '../../src/protocol/effects.js';
import { rootStream } from '../../src/random/random-stream.js';
import { propose } from '../../src/protocols/zab/broadcast.js';
import type { ZabContext, ZabMark } from '../../src/protocols/zab/declarations.js';
import type { ZabMessage } from '../../src/protocols/zab/messages.js';
import { DEFAULT_ZAB_OPTIONS } from '../../src/protocols/zab/options.js';
import { createZabState, type ZabState } from '../../src/protocols/zab/state.js';
import { counterOf, epochOf, makeZxid, MAX_COUNTER, MAX_EPOCH, renderZxid } from '../../src/protocols/zab/zxid.js';

describe('zxid packing', () => {
  it('orders zxids as (epoch, counter) pairs and stays a small integer at the bounds', () => {
    expect(makeZxid(1, MAX_COUNTER)).toBeLessThan(makeZxid(2, 1));
    expect(makeZxid(3, 7) > makeZxid(2, MAX_COUNTER)).toBe(true);
    const highest = makeZxid(MAX_EPOCH, MAX_COUNTER);
    expect(highest).toBeLessThan(2 ** 30);
    expect(Number.isSafeInteger(highest)).toBe(true);
    expect([epochOf(highest), counterOf(highest)]).toEqual([MAX_EPOCH, MAX_COUNTER]);
    expect(renderZxid(makeZxid(5, 12))).toBe('5.12');
  });
});

/** A context that records what the leader did. */
function recordingContext(id: NodeId): ZabContext & { sent: [NodeId, ZabMessage][]; marks: ZabMark[]; replies: [number, ClientResponse][] } {
  const sent: [NodeId, ZabMessage][] = [];
  const marks: ZabMark[] = [];
  const replies: [number, ClientResponse][] = [];
  return {
    id,
    nodes: [0, 1, 2],
    now: 0,
    random: rootStream('zxid-test'),
    send: (to, message) => void sent.push([to, message]),
    setTimer: () => undefined,
    cancelTimer: () => undefined,
    persist: () => undefined,
    reply: (requestId, response) => void replies.push([requestId, response]),
    mark: (name) => void marks.push(name),
    sent,
    marks,
    replies,
  };
}

/** Server 0, established leader of epoch 4, its counter at `counter`, one follower active. */
function leaderAt(counter: number): ZabState {
  const state = createZabState(0, [0, 1, 2], { ...DEFAULT_ZAB_OPTIONS });
  state.role = 'leading';
  state.phase = 'broadcast';
  state.leaderId = 0;
  state.acceptedEpoch = 4;
  state.currentEpoch = 4;
  state.leader = {
    epoch: 4,
    infos: new Map(),
    epochAcks: new Set(),
    epochAcknowledged: true,
    learners: new Map([[1, { phase: 'active', ackEpoch: null, syncTarget: 0, acked: 0, ackedAtLastTick: 0, silentTicks: 0 }]]),
    newLeaderAcks: new Set(),
    established: true,
    counter,
  };
  return state;
}

const command = (sequence: number) => ({ clientId: 7, sequence, operation: { f: 'write' as const, key: 'k', value: sequence } });

describe('counter rollover (ZOOKEEPER-1277)', () => {
  it('the epoch\'s last counter is still proposed', () => {
    const state = leaderAt(MAX_COUNTER - 1);
    const context = recordingContext(0);
    propose(state, context, command(1));
    expect(state.history.lastZxid).toBe(makeZxid(4, MAX_COUNTER));
    expect(context.sent.map(([to, message]) => [to, message.type])).toEqual([[1, 'proposal']]);
  });

  it('past it the leader steps down instead of wrapping into the next epoch\'s zxids, and the waiting client hears unknown', () => {
    const state = leaderAt(MAX_COUNTER);
    state.pending.set(7, { sequence: 2, requestId: 99 });
    const context = recordingContext(0);
    propose(state, context, command(2));
    expect(context.marks).toContain('counter-rollover');
    expect(state.role).toBe('looking');
    expect(state.history.txns).toEqual([]);
    expect(context.sent.some(([, message]) => message.type === 'proposal')).toBe(false);
    expect(context.replies).toEqual([[99, { status: 'unknown', error: 'server left its leader' }]]);
  });
});
