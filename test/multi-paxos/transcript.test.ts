import { describe, expect, it } from 'vitest';
import { both, from, PaxosDriver, to, type } from './driver.js';

/**
 * Multi-Paxos's tricky steps, walked one at a time on a three-node cluster where nothing happens
 * unless the test says so. Each comment reasons about the step from the protocol's rules; the
 * expectations then check the protocol did exactly that. Invariant observers run after every step.
 */
const write = (value: string) => ({ f: 'write', key: 'x', value });

/** Node 0 runs phase 1 with ballot 1.0 and wins it with both promises. */
function electNode0(driver: PaxosDriver): void {
  driver.fire(0, 'election');
  driver.deliver(type('prepare'));
  driver.deliver(type('promise'));
}

describe('Multi-Paxos step by step', () => {
  it('phase 1 adopts a value accepted under an earlier ballot, even one its proposer never saw chosen', () => {
    const driver = new PaxosDriver(3);
    electNode0(driver);
    expect(driver.show(0)).toBe('leader ballot=1.0 promised=1.0 leader=0 chosen-through=0 applied=0 snapshot=0 accepted=[]');
    driver.request(0, 1, 1, write('a'));
    // The leader accepts its own proposal and asks the others; only node 1 gets it, and its answer
    // is lost. Nodes 0 and 1 are a majority: c1#1 is chosen in slot 1, though nobody knows it.
    driver.deliver(to(1));
    driver.drop(() => true);
    expect(driver.show(1)).toBe('follower ballot=0 promised=1.0 leader=0 chosen-through=0 applied=0 snapshot=0 accepted=[1@1.0]');
    // Node 0 crashes; long after, node 1 runs phase 1 with a higher round. Node 2 accepted nothing.
    driver.crash(0);
    driver.advance(400);
    driver.fire(1, 'election');
    driver.drop(to(0));
    driver.deliver(to(2));
    expect(driver.pending()).toEqual(['2->1 promise ballot=2.1 accepted=[]']);
    // With its own promise, node 1 has a quorum. Its own acceptor reported slot 1 at ballot 1.0:
    // the highest ballot reported there, so it must propose that value, not a new one.
    driver.deliver();
    expect(driver.pending()).toEqual(['1->0 accept ballot=2.1 chosen-through=0 [1:c1#1 write x "a"]', '1->2 accept ballot=2.1 chosen-through=0 [1:c1#1 write x "a"]']);
    driver.deliver(to(2));
    driver.deliver(type('accepted'));
    expect(driver.show(1)).toBe('leader ballot=2.1 promised=2.1 leader=1 chosen-through=1 applied=1 snapshot=0 accepted=[1@2.1]');
    expect(driver.violations).toEqual([]);
  });

  it('a hole no promise reports is filled with a no-op, and the slot after it keeps its value', () => {
    const driver = new PaxosDriver(3);
    electNode0(driver);
    driver.request(0, 1, 1, write('a'));
    driver.request(0, 2, 1, write('b'));
    // Slot 1's accepts are lost; slot 2's reaches node 1. Then node 0 crashes.
    driver.drop((flight) => flight.message.type === 'accept' && flight.message.proposals[0]!.slot === 1);
    driver.deliver(both(to(1), type('accept')));
    driver.drop(() => true);
    driver.crash(0);
    driver.advance(400);
    // Node 1 leads ballot 2.1 with node 2. Between them they report slot 2 (node 1's c2#1) and
    // nothing in slot 1: c1#1 was accepted only by node 0, so it cannot have been chosen (a
    // majority would include node 1 or 2). Slot 1 gets a no-op so slot 2 can apply after it.
    driver.fire(1, 'election');
    driver.drop(to(0));
    driver.deliver(to(2));
    driver.deliver();
    expect(driver.pending()).toEqual([
      '1->0 accept ballot=2.1 chosen-through=0 [1:noop, 2:c2#1 write x "b"]',
      '1->2 accept ballot=2.1 chosen-through=0 [1:noop, 2:c2#1 write x "b"]',
    ]);
    driver.deliver(to(2));
    driver.deliver(type('accepted'));
    expect(driver.show(1)).toBe('leader ballot=2.1 promised=2.1 leader=1 chosen-through=2 applied=2 snapshot=0 accepted=[1@2.1 2@2.1]');
    expect(driver.violations).toEqual([]);
  });

  it("a stale leader's accept is refused once the acceptor promised a newer ballot, and the nack deposes it", () => {
    const driver = new PaxosDriver(3);
    electNode0(driver);
    // Node 0 is cut off (nothing of its arrives) while nodes 1 and 2 stop hearing from it.
    driver.advance(400);
    driver.fire(1, 'election');
    driver.drop(to(0));
    driver.deliver(to(2));
    driver.deliver(to(1));
    expect(driver.show(1)).toBe('leader ballot=2.1 promised=2.1 leader=1 chosen-through=0 applied=0 snapshot=0 accepted=[]');
    // Node 0 still believes it leads ballot 1.0 and proposes. Node 2 promised 2.1 > 1.0: it must
    // refuse, and its nack carries the higher ballot, so node 0 learns it lost and steps down.
    driver.request(0, 1, 1, write('stale'));
    driver.drop(both(from(0), to(1)));
    driver.deliver(both(from(0), to(2)));
    expect(driver.pending()).toEqual(['2->0 nack ballot=1.0 promised=2.1']);
    driver.deliver();
    expect(driver.show(0)).toBe('follower ballot=1.0 promised=1.0 leader=- chosen-through=0 applied=0 snapshot=0 accepted=[1@1.0]');
    // Its client is told the outcome is unknown (the value was accepted by node 0 alone; a later
    // leader might still adopt it, so "failed" would be a lie).
    expect(driver.replies).toEqual(['node 0 #1 {"status":"unknown","error":"leadership lost before the slot was chosen"}']);
    expect(driver.violations).toEqual([]);
  });

  it('dueling proposers: the lower ballot is preempted, the higher one wins', () => {
    const driver = new PaxosDriver(3);
    // Nodes 0 and 1 time out together and run phase 1 with round 1: ballots 1.0 < 1.1.
    driver.fire(0, 'election');
    driver.fire(1, 'election');
    // Node 2 hears 1.0 first and promises it, then 1.1, higher, and promises that too.
    driver.deliver(both(from(0), to(2)));
    driver.deliver(both(from(1), to(2)));
    // Node 0 gets 1.1 and gives way (it promises 1.1 and stops being a candidate); node 1 gets
    // 1.0, below its own promise of 1.1, and refuses it.
    driver.deliver(both(from(1), to(0)));
    driver.deliver(both(both(from(0), to(1)), type('prepare')));
    expect(driver.pending()).toEqual([
      '2->0 promise ballot=1.0 accepted=[]',
      '2->1 promise ballot=1.1 accepted=[]',
      '0->1 promise ballot=1.1 accepted=[]',
      '1->0 nack ballot=1.0 promised=1.1',
    ]);
    // Node 0's late promise for 1.0 and the nack change nothing: it is a follower now. Node 1 has
    // promises from everyone for 1.1 and leads.
    driver.deliver();
    expect(driver.show(0)).toBe('follower ballot=1.0 promised=1.1 leader=- chosen-through=0 applied=0 snapshot=0 accepted=[]');
    expect(driver.show(1)).toBe('leader ballot=1.1 promised=1.1 leader=1 chosen-through=0 applied=0 snapshot=0 accepted=[]');
    // The next time node 0 campaigns it starts above every round it has seen.
    driver.advance(400);
    driver.fire(0, 'election');
    expect(driver.pending()).toEqual(['0->1 prepare ballot=2.0 from=1', '0->2 prepare ballot=2.0 from=1']);
    expect(driver.violations).toEqual([]);
  });
});
