import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/sim/event-queue.js';
import { dueNow, postpone, queueAt, type Postponable } from '../../src/sim/postponable.js';

interface Alarm extends Postponable {
  name: number;
  cancelled: boolean;
}

/**
 * Alarms re-armed at random moments, as hosts re-arm timers: the lazy way (postpone in place,
 * re-queue on coming up early) must fire exactly what the eager way (cancel, push a new one) fires,
 * at the same times and in the same order, including ties at one instant.
 */
function fire(arms: { at: number; name: number; delay: number }[], lazy: boolean): string[] {
  type Event = { kind: 'arm'; name: number; delay: number } | { kind: 'alarm'; alarm: Alarm };
  const queue = new EventQueue<Event>();
  const scheduler = {
    schedule: (at: number, alarm: Alarm) => queue.push(at, { kind: 'alarm', alarm }),
    reserveSequence: () => queue.reserveSequence(),
    scheduleReserved: (at: number, sequence: number, alarm: Alarm) => queue.pushReserved(at, sequence, { kind: 'alarm', alarm }),
  };
  for (const arm of arms) queue.push(arm.at, { kind: 'arm', name: arm.name, delay: arm.delay });
  const armed = new Map<number, Alarm>();
  const fired: string[] = [];
  while (queue.size > 0) {
    const event = queue.pop();
    const now = queue.poppedTime;
    if (event.kind === 'arm') {
      const at = now + event.delay;
      const current = armed.get(event.name);
      if (lazy && current !== undefined && postpone(scheduler, current, at)) continue;
      if (current !== undefined) current.cancelled = true;
      const alarm: Alarm = { name: event.name, cancelled: false, queuedAt: 0, queuedSequence: 0, dueAt: 0, dueSequence: 0 };
      armed.set(event.name, alarm);
      queueAt(scheduler, alarm, at);
      continue;
    }
    const alarm = event.alarm;
    if (alarm.cancelled || armed.get(alarm.name) !== alarm) continue;
    if (lazy && !dueNow(scheduler, alarm)) continue;
    armed.delete(alarm.name);
    fired.push(`${now}:${alarm.name}`);
  }
  return fired;
}

describe('postponable events', () => {
  it('fire exactly as cancelling and re-queueing would', () => {
    const arm = fc.record({ at: fc.integer({ min: 0, max: 50 }), name: fc.integer({ min: 0, max: 3 }), delay: fc.integer({ min: 0, max: 30 }) });
    fc.assert(
      fc.property(fc.array(arm, { maxLength: 60 }), (arms) => {
        const eager = fire(arms, false);
        expect(fire(arms, true)).toEqual(eager);
      }),
      { numRuns: 500 },
    );
  });
});
