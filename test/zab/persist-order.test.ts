import { describe, expect, it } from 'vitest';
import type { ZabMessage, ZabOptions, ZabState, ZabTimer } from '../../src/protocols/zab/index.js';
import { ProtocolCluster } from '../support/transcript/cluster.js';
import { zabAdapter } from './adapter.js';

/**
 * What the transcripts cannot show: the order of effects inside one step. The host releases a send
 * only once the writes before it in the same step are durable (src/protocol/effects.ts), so a
 * promise must be written before the message that makes it, in the handler's own order. The
 * transcript harness applies a step's effects all at once; here each step's effects are recorded
 * as the handler pushed them.
 */

/** Messages that tell the receiver something is on the sender's disk: none may precede a write of its step. */
const PROMISES = new Set<ZabMessage['type']>(['leaderinfo', 'ackepoch', 'ack-newleader', 'proposal', 'ack']);

interface Step {
  node: number;
  /** `persist <key>` (txn keys as `persist txn`) and `send <type>`, in the handler's order. */
  effects: string[];
}

class RecordingCluster extends ProtocolCluster<ZabState, ZabMessage, ZabOptions, ZabTimer> {
  readonly steps: Step[] = [];

  constructor(options: Record<string, unknown> = {}) {
    super(zabAdapter, 3, options, 'persist-order', false);
    for (const node of this.nodes.values()) {
      const collector = node.context;
      const drain = collector.drain.bind(collector);
      collector.drain = () => {
        const effects = drain();
        const lines: string[] = [];
        for (const effect of effects) {
          if (effect.kind === 'persist') lines.push(`persist ${effect.key.startsWith('txn/') ? 'txn' : effect.key}`);
          else if (effect.kind === 'send') lines.push(`send ${effect.message.type}`);
        }
        if (lines.length > 0) this.steps.push({ node: node.id, effects: lines });
        return effects;
      };
    }
  }

  /** Server 2 leads epoch 1; a write commits; server 0 misses two more and is synchronized by DIFF. */
  walk(): void {
    this.stabilize();
    for (const id of [2, 0, 1]) this.fire(id, 'finalize');
    this.stabilize();
    this.request(0, 'write', 'x', 'a', 1);
    this.stabilize();
    this.crash(0);
    this.request(2, 'write', 'x', 'b', 1);
    this.request(1, 'write', 'y', 'c', 2);
    this.stabilize();
    this.restart(0);
    this.stabilize();
  }

  /** Each promise message sent after a write of its own step, as `<write> before <send>` (first write of the step). */
  orderedPairs(): Set<string> {
    const pairs = new Set<string>();
    for (const step of this.steps) {
      const firstWrite = step.effects.find((effect) => effect.startsWith('persist '));
      if (firstWrite === undefined) continue;
      const at = step.effects.indexOf(firstWrite);
      for (const effect of step.effects.slice(at)) if (effect.startsWith('send ') && PROMISES.has(effect.slice(5) as ZabMessage['type'])) pairs.add(`${firstWrite} before ${effect}`);
    }
    return pairs;
  }

  /**
   * Steps where a promise message was pushed before a data write of the same step. The batch-end
   * marker closes every batch after its sends; it is synced with the rest of the step, so it is
   * not a write a send could overtake.
   */
  earlySends(): string[] {
    const out: string[] = [];
    for (const step of this.steps) {
      const lastWrite = step.effects.map((effect) => effect.startsWith('persist ') && effect !== 'persist batch-end').lastIndexOf(true);
      step.effects.forEach((effect, at) => {
        if (at < lastWrite && effect.startsWith('send ') && PROMISES.has(effect.slice(5) as ZabMessage['type'])) out.push(`server ${step.node}: ${step.effects.join(', ')}`);
      });
    }
    return out;
  }
}

describe('Zab writes each promise before the message that makes it', () => {
  it('acceptedEpoch before LEADERINFO and ACKEPOCH, currentEpoch before ACK-NEWLEADER, a txn before its PROPOSAL and ACK', () => {
    const cluster = new RecordingCluster();
    cluster.walk();
    expect(cluster.violations).toEqual([]);
    expect(cluster.earlySends()).toEqual([]);
    // The walk reached every pair (so the check above is not vacuous): the leader persists the
    // epoch it chose before its LEADERINFO, a follower its acceptedEpoch before ACKEPOCH and its
    // currentEpoch (after the synchronized txns) before ACK-NEWLEADER, the leader a txn before
    // proposing it, a follower a txn before acknowledging it.
    const pairs = cluster.orderedPairs();
    for (const pair of ['persist accepted-epoch before send leaderinfo', 'persist accepted-epoch before send ackepoch', 'persist current-epoch before send ack-newleader', 'persist txn before send proposal', 'persist txn before send ack']) {
      expect(pairs).toContain(pair);
    }
    // The leader's own currentEpoch, written once a quorum accepted the epoch, precedes the
    // synchronization it then sends.
    expect(cluster.steps.some((step) => step.node === 2 && step.effects.join(', ').startsWith('persist current-epoch, send diff, send newleader'))).toBe(true);
  });

  it('the planted ZOOKEEPER-3911 bug (ACK-NEWLEADER before the synchronized txns are durable) fails the check', () => {
    const cluster = new RecordingCluster({ unsafeAckNewLeaderBeforeSync: true });
    cluster.walk();
    expect(cluster.earlySends()).toContain('server 0: send ack-newleader, persist txn, persist txn, persist current-epoch, persist batch-end');
  });
});
