import { describe, expect, it } from 'vitest';
import { DEFAULT_ZAB_OPTIONS } from '../../src/protocols/zab/options.js';
import { renderZabState } from '../../src/protocols/zab/render.js';
import { makeZxid } from '../../src/protocols/zab/zxid.js';
import { ZabDriver } from './driver.js';

/**
 * Zab's key paths walked step by step over a small driver (every write durable at once, messages
 * delivered only when told). Each expectation says what must hold and why, independently of the
 * output it checks.
 */
describe('Zab transcript', () => {
  it('election, discovery and epoch choice, synchronization, and a commit across a leader change', () => {
    const zab = new ZabDriver(3, { ...DEFAULT_ZAB_OPTIONS, readMode: 'sync' });
    zab.take();
    zab.elect();
    // FLE: all votes tie on (epoch 0, zxid 0.0), so the highest id wins; n2 leads.
    expect(zab.state(2).role).toBe('leading');
    const discovery = zab.take();
    // Discovery: n2 chooses epoch 1 (one above every acceptedEpoch, all 0) and persists it before
    // any LEADERINFO leaves (persist first: it is a promise).
    const chosen = discovery.indexOf('n2 persist accepted-epoch');
    expect(chosen).toBeGreaterThanOrEqual(0);
    expect(discovery.findIndex((line) => line.startsWith('n2 -> n') && line.includes('leaderinfo epoch 1'))).toBeGreaterThan(chosen);
    // Each follower persists acceptedEpoch before its ACKEPOCH (the host releases the send after it).
    for (const follower of [0, 1]) {
      const persisted = discovery.indexOf(`n${follower} persist accepted-epoch`);
      const acked = discovery.findIndex((line) => line.startsWith(`n${follower} -> n2 ackepoch epoch 1`));
      expect(persisted).toBeGreaterThanOrEqual(0);
      expect(acked).toBeGreaterThan(persisted);
      // currentEpoch is persisted before acknowledging NEWLEADER.
      const current = discovery.indexOf(`n${follower} persist current-epoch`);
      expect(discovery.findIndex((line) => line.startsWith(`n${follower} -> n2 ack-newleader epoch 1`))).toBeGreaterThan(current);
    }
    // Synchronization of empty histories is an empty DIFF; a quorum of NEWLEADER acks establishes n2.
    expect(zab.marks).toContain('sync-diff');
    expect(zab.marks).toContain('established');
    expect(zab.state(0).phase).toBe('broadcast');

    // A write at follower n0 is forwarded, proposed as 1.1, acknowledged by a quorum, committed,
    // and answered by n0 once n0 itself applied it.
    zab.request(0, 1, 7, 1, 'write', 'x', 'a');
    zab.deliverAll();
    const broadcast = zab.take();
    expect(broadcast).toContain('n0 -> n2 forward c7#1 write x');
    expect(broadcast).toContain('n2 -> n0 proposal 1.1:write x "a" (c7#1) after 0.0');
    expect(broadcast).toContain('n0 reply #1 {"status":"ok","value":"a"}');
    expect(zab.state(1).commitZxid).toBe(makeZxid(1, 1));

    // n2 proposes 1.2; only n1 logs it before n2 crashes (n0 never sees it).
    zab.request(2, 2, 8, 1, 'write', 'x', 'b');
    zab.deliverAll((item) => item.message.type === 'proposal' && item.to === 1);
    zab.queue = zab.queue.filter((item) => item.to !== 0);
    zab.crash(2);
    expect(zab.state(1).history.lastZxid).toBe(makeZxid(1, 2));
    expect(zab.state(0).history.lastZxid).toBe(makeZxid(1, 1));
    zab.take();

    // n0 and n1 give up on n2 (syncLimit ticks of silence) and elect again. n1 has the higher last
    // zxid, so FLE makes n1 leader of epoch 2 (above both acceptedEpochs of 1).
    for (let tick = 0; tick <= DEFAULT_ZAB_OPTIONS.syncLimit; tick++) for (const id of [0, 1]) if (zab.armed[id]!.has('tick')) zab.fire(id, 'tick');
    zab.elect();
    expect(zab.state(1).role).toBe('leading');
    expect(zab.state(1).leader?.epoch).toBe(2);
    // n0 lacks 1.2 and n1 holds it: DIFF with [1.2]. Once a quorum acknowledged NEWLEADER, n1
    // commits its whole initial history, 1.2 included: a txn of the old epoch committed by the new one.
    expect(zab.take()).toContain('n1 -> n0 diff epoch 2 after 1.1 [1.2]');
    expect(zab.state(1).commitZxid).toBe(makeZxid(1, 2));
    expect(zab.state(0).commitZxid).toBe(makeZxid(1, 2));
    expect(renderZabState(zab.state(0))).toBe('following/broadcast accepted 2 current 2 last 1.2 commit 1.2 snapshot 0.0 [1.1 1.2]');

    // n2 restarts with 1.2 in its log: it rejoins as a follower and is synchronized by an empty DIFF.
    zab.start(2);
    zab.elect();
    expect(zab.state(2).role).toBe('following');
    zab.deliverAll();
    expect(zab.state(2).phase).toBe('broadcast');
  });

  it('TRUNC: a restarted leader with a txn the new leader never had', () => {
    const zab = new ZabDriver(3, { ...DEFAULT_ZAB_OPTIONS, readMode: 'sync' });
    zab.elect();
    // n2 leads epoch 1 and logs 1.1, which no follower receives before it crashes.
    zab.request(2, 1, 7, 1, 'write', 'x', 'lost');
    zab.queue = [];
    zab.crash(2);
    for (let tick = 0; tick <= DEFAULT_ZAB_OPTIONS.syncLimit; tick++) for (const id of [0, 1]) if (zab.armed[id]!.has('tick')) zab.fire(id, 'tick');
    zab.elect();
    // n1 leads epoch 2 and commits 2.1 with n0.
    expect(zab.state(1).leader?.epoch).toBe(2);
    zab.request(1, 2, 8, 1, 'write', 'x', 'kept');
    zab.deliverAll();
    expect(zab.state(1).commitZxid).toBe(makeZxid(2, 1));
    zab.take();
    // n2 comes back with 1.1 in its log. The common prefix with n1's history is 0.0: TRUNC to 0.0
    // (1.1 was never committed, so dropping it is safe), then the txns after it.
    zab.start(2);
    zab.elect();
    zab.deliverAll();
    expect(zab.take()).toContain('n1 -> n2 trunc epoch 2 to 0.0 then [2.1]');
    expect(zab.state(2).history.txns.map((txn) => txn.command.operation.value)).toEqual(['kept']);
    expect(zab.marks).toContain('sync-trunc');
  });
});
